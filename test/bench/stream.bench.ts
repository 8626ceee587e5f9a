// Relay, projector and rebuild on a synthetic county (default 45,000 children, ~400,000 events):
// rebuild throughput; projector throughput through a real Kafka broker beside kafkajs's raw
// consume rate on the same topic; append → visible-in-read-models lag at a steady 500 events/s;
// the children-in-care county query.
import { randomUUID } from 'node:crypto';
import { createPostgresEventStore } from '@lbc/event-store';
import { KafkaBus } from '@lbc/messaging';
import { childrenInCare, migrateReadModels, openReadModels } from '@lbc/read-models';
import { CARE_EVENTS_PARTITIONS, rebuildReadModels, startProjector, startRelay } from '@lbc/event-stream';
import { appendStreams, careActivity, syntheticCounty } from '@lbc/event-stream/testing';
import type { StreamLogger } from '@lbc/event-stream';
import type { EventStore } from '@lbc/event-store';
import type { Bus } from '@lbc/messaging';
import { measureRawConsumeRate, startKafkaBroker } from '@lbc/testing';
import { logLevel } from 'kafkajs';
import { Client } from 'pg';
import type { Bench, BenchContext, BenchRow } from './bench';

const SCHOOLS = Number(process.env.BENCH_STREAM_SCHOOLS ?? 150);
const CHILDREN_PER_SCHOOL = 300;
const LAG_RATE = 500;
const LAG_SECONDS = Number(process.env.BENCH_STREAM_LAG_SECONDS ?? 20);
const quiet: StreamLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function until(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`stream bench: ${what} not reached in ${timeoutMs} ms`);
    await new Promise((wait) => setTimeout(wait, 20));
  }
}

/** Events per second of reading the whole events table in position order, page by page, as a rebuild reads it. */
async function sequentialReadRate(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const started = process.hrtime.bigint();
    let events = 0;
    for (let after = '0', page = 1; page > 0; ) {
      const { rows } = await client.query<{ global_position: string }>('SELECT * FROM event_store.events WHERE global_position > $1 ORDER BY global_position LIMIT 5000', [after]);
      page = rows.length;
      events += page;
      if (page > 0) after = rows[page - 1].global_position;
    }
    return events / seconds(started);
  } finally {
    await client.end();
  }
}

async function quiesce(url: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('VACUUM (ANALYZE)');
    await client.query('CHECKPOINT');
  } finally {
    await client.end();
  }
}

/**
 * Where an appended event spends its time on the way to the read models: the clock of each stage
 * it passes, per event id, for the events of the lag run only (`track`).
 */
const STAGES = ['appended', 'read by the relay', 'publish sent', 'acknowledged', 'delivered', 'applied', 'visible'] as const;
type Stage = (typeof STAGES)[number];

class StageClock {
  private readonly clocks = new Map<string, Map<Stage | 'called', bigint>>();

  track(eventId: string): void {
    this.clocks.set(eventId, new Map([['called', process.hrtime.bigint()]]));
  }

  mark(eventIds: Iterable<string>, stage: Stage): void {
    const now = process.hrtime.bigint();
    for (const eventId of eventIds) this.clocks.get(eventId)?.set(stage, now);
  }

  /** Median and p95 of each stage's share, in ms, over the events that passed them all. */
  shares(): { stage: Stage; p50: number; p95: number }[] {
    const complete = [...this.clocks.values()].filter((clock) => clock.size === STAGES.length + 1);
    return STAGES.map((stage, index) => {
      const before = index === 0 ? 'called' : STAGES[index - 1];
      const times = complete.map((clock) => Number((clock.get(stage) as bigint) - (clock.get(before) as bigint)) / 1e6).sort((a, b) => a - b);
      return { stage, p50: percentile(times, 50), p95: percentile(times, 95) };
    });
  }
}

/** The store as the relay sees it, clocking when each event is read. */
function clockedStore(store: EventStore, clock: StageClock): EventStore {
  return {
    append: (...args) => store.append(...args),
    readStream: (...args) => store.readStream(...args),
    readAll: (...args) => store.readAll(...args),
    headCheckpoint: () => store.headCheckpoint(),
    close: () => store.close(),
    subscribeToAll: (options) =>
      store.subscribeToAll({
        ...options,
        handle: (events) => {
          clock.mark(events.map((event) => event.eventId), 'read by the relay');
          return options.handle(events);
        },
      }),
  };
}

/** The bus, clocking each publish and acknowledgement, delivery and applied batch. */
function clockedBus(bus: Bus, clock: StageClock): Bus {
  const ids = (messages: readonly { headers: Readonly<Record<string, string>> }[]) => messages.map((message) => message.headers.eventId);
  return {
    publish: async (topic, messages) => {
      clock.mark(ids(messages), 'publish sent');
      await bus.publish(topic, messages);
      clock.mark(ids(messages), 'acknowledged');
    },
    consume: (options) =>
      bus.consume({
        ...options,
        handleBatch: async (batch) => {
          clock.mark(ids(batch.messages), 'delivered');
          await options.handleBatch(batch);
          clock.mark(ids(batch.messages), 'applied');
        },
      }),
    close: () => bus.close(),
  };
}

export const bench: Bench = {
  name: 'stream',
  async run(context: BenchContext): Promise<BenchRow[]> {
    const rows: BenchRow[] = [];
    const row = (name: string, value: number, unit: string, more: Pick<BenchRow, 'reference' | 'target' | 'note'> = {}) => {
      rows.push({ bench: 'stream', case: name, value, unit, ...more });
      const ratio = more.reference ? `, ${(value / more.reference.value).toFixed(2)}× ${more.reference.case}` : '';
      context.log(`${name}: ${value.toFixed(1)} ${unit}${ratio}${more.note ? ` (${more.note})` : ''}`);
    };
    const storeUrl = await context.createDatabase('stream_store');
    const store = await createPostgresEventStore({ url: storeUrl });
    const loadStarted = process.hrtime.bigint();
    const events = await appendStreams(store, syntheticCounty({ schools: SCHOOLS, childrenPerSchool: CHILDREN_PER_SCHOOL, seed: 7 }), 16);
    context.log(`county: ${SCHOOLS * CHILDREN_PER_SCHOOL} children, ${events} events appended in ${seconds(loadStarted).toFixed(1)} s`);

    // Rebuild straight from the store, beside reading the events table alone in the same order.
    await migrateReadModels(storeUrl);
    await quiesce(storeUrl);
    const rawRead = await sequentialReadRate(storeUrl);
    const rebuildStarted = process.hrtime.bigint();
    const rebuilt = await rebuildReadModels({ store, databaseUrl: storeUrl });
    const rebuildRate = rebuilt.events / seconds(rebuildStarted);
    // No issue sets a rate of its own for the rebuild (issue 14 sets it against the raw read, below).
    row('rebuild', rebuildRate, 'events/s', { note: `${rebuilt.events} events` });
    row('rebuild ÷ raw read', rebuildRate, 'events/s', {
      reference: { case: 'SELECT of event_store.events in position order, pages of 5,000', value: rawRead },
      target: { atLeast: 0.5 },
    });

    const readModels = await openReadModels(storeUrl);
    const timings: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = process.hrtime.bigint();
      await childrenInCare(readModels.manager, { scope: { kind: 'county', id: 'county-synthetic' }, asOf: '2025-06-30', recordedBy: null });
      timings.push(seconds(started) * 1000);
    }
    row('children-in-care county query (median of 5)', timings.sort((a, b) => a - b)[2], 'ms', { note: `${SCHOOLS * CHILDREN_PER_SCHOOL} children` });
    await readModels.destroy();

    // Through Kafka: the relay fills the topic, then kafkajs alone and the projector each read it whole.
    const broker = await startKafkaBroker({ heapMb: 1024 });
    const kafka = await KafkaBus.connect({ brokers: broker.brokers, clientId: 'bench', logLevel: logLevel.NOTHING });
    const stages = new StageClock();
    const bus = clockedBus(kafka, stages);
    try {
      const topic = 'care-events';
      await kafka.createTopic(topic, { partitions: CARE_EVENTS_PARTITIONS });
      const relayStarted = process.hrtime.bigint();
      const relay = await startRelay({ store: clockedStore(store, stages), bus, databaseUrl: storeUrl, topic, batchSize: 2000, logger: quiet });
      // Caught up once its checkpoint is the store's head (polling `lag()` would count up to 10,000
      // events every 20 ms, a load of its own on the machine being measured).
      const head = await store.headCheckpoint();
      await until(async () => relay.checkpoint() === head, 600_000, 'relay caught up');
      row('relay publish', events / seconds(relayStarted), 'events/s');
      // The load and the rebuild leave autovacuum and checkpoint work behind on this server;
      // done now, it competes with neither measurement below.
      await quiesce(storeUrl);
      // The faster of two runs (it varied by a third between runs here): the ratio below is then
      // taken against the best this machine showed, never flattered by one slow run.
      const raws = [];
      for (let run = 0; run < 2; run++) raws.push(await measureRawConsumeRate({ brokers: broker.brokers, topic, messages: events, timeoutMs: 600_000 }));
      const raw = raws.reduce((best, next) => (next.perSecond > best.perSecond ? next : best));

      const projectionUrl = await context.createDatabase('stream_projection');
      await migrateReadModels(projectionUrl);
      const projection = await openReadModels(projectionUrl);
      const applied = async () => {
        const [{ n }] = (await projection.query('SELECT coalesce(sum("offset" + 1), 0)::bigint AS n FROM projector_offsets')) as [{ n: string }];
        return Number(n);
      };
      const projector = await startProjector({ bus, readModels: projection, topic, groupId: 'bench-projector', store, logger: quiet });
      // Like the raw consumer, whose clock starts once its group has joined: measured from the
      // first applied batch, over the events applied after it (group join is not throughput).
      let firstApplied = 0;
      await until(async () => (firstApplied = await applied()) > 0, 120_000, 'projector joined');
      const projectorStarted = process.hrtime.bigint();
      await until(async () => (await applied()) >= events, 900_000, 'projector caught up');
      const projectorRate = (events - firstApplied) / seconds(projectorStarted);
      row('projector through Kafka', projectorRate, 'events/s', {
        reference: { case: 'kafkajs raw consume, the faster of 2 runs', value: raw.perSecond },
        // Issue 5 asked for 0.3× the raw consume; issue 14 raised it to half.
        target: { atLeast: 0.5 },
        note: `from its first batch; raw runs ${raws.map((r) => Math.round(r.perSecond)).join(' and ')} messages/s`,
      });

      // Steady 500 events/s from another store instance, as from another process: its appends are announced.
      const writer = await createPostgresEventStore({ url: storeUrl, poolSize: 8 });
      const pending = new Map<string, bigint>();
      const lags: number[] = [];
      const poller = setInterval(() => {
        const ids = [...pending.keys()];
        if (ids.length === 0) return;
        void projection
          .query('SELECT event_id FROM care_activities WHERE event_id = ANY($1::uuid[])', [ids])
          .then((found: { event_id: string }[]) => {
            const now = process.hrtime.bigint();
            for (const { event_id } of found) {
              const sent = pending.get(event_id);
              if (sent === undefined) continue;
              lags.push(Number(now - sent) / 1e6);
              pending.delete(event_id);
              stages.mark([event_id], 'visible');
            }
          });
      }, 10);
      const total = LAG_RATE * LAG_SECONDS;
      const paceStarted = Date.now();
      const appends: Promise<unknown>[] = [];
      for (let i = 0; i < total; i++) {
        const due = paceStarted + (i * 1000) / LAG_RATE;
        if (due > Date.now()) await new Promise((wait) => setTimeout(wait, due - Date.now()));
        const event = careActivity('bench');
        pending.set(event.eventId, process.hrtime.bigint());
        stages.track(event.eventId);
        appends.push(writer.append(`child-${randomUUID()}`, [event], 'no-stream').then(() => stages.mark([event.eventId], 'appended')));
      }
      await Promise.all(appends);
      await until(async () => pending.size === 0, 60_000, 'every lag event visible');
      clearInterval(poller);
      lags.sort((a, b) => a - b);
      const shares = stages.shares();
      context.log(`append → visible by stage, p50 / p95 ms: ${shares.map(({ stage, p50, p95 }) => `${stage} ${p50.toFixed(1)} / ${p95.toFixed(1)}`).join('; ')}`);
      row('append → visible p50 at 500 events/s', percentile(lags, 50), 'ms', {
        note: `p50 by stage: ${shares.map(({ stage, p50 }) => `${stage} ${p50.toFixed(0)} ms`).join(', ')}`,
      });
      // Issue 5 asked for 1 s; issue 14 lowered it to 100 ms, readers woken on commit.
      row('append → visible p95 at 500 events/s', percentile(lags, 95), 'ms', { target: { atMost: 100 }, note: `${lags.length} events` });
      await projector.stop();
      await relay.stop();
      await writer.close();
      await projection.destroy();
    } finally {
      await kafka.close();
      await broker.stop();
      await store.close();
    }
    return rows;
  },
};
