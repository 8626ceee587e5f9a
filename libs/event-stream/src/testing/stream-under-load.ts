// The relay and projector on a Kafka cluster under a steady stream of appends, with the clocks a
// fault test and the failover bench read: when each publish was acknowledged, when each batch was
// applied, and how long each appended event took to show in the read models.
import { randomUUID } from 'node:crypto';
import type { EventStore, NewEvent } from '@lbc/event-store';
import { createPostgresEventStore } from '@lbc/event-store';
import type { Bus, TopicReport } from '@lbc/messaging';
import { KafkaBus } from '@lbc/messaging';
import { migrateReadModels, openReadModels } from '@lbc/read-models';
import type { StreamLogger } from '../lag';
import type { Projector } from '../projector/projector';
import { startProjector } from '../projector/projector';
import type { Relay } from '../relay/relay';
import { startRelay } from '../relay/relay';
import { createCareEventsTopic } from '../stream-service';
import type { KafkaCluster } from '@lbc/testing';
import { logLevel } from 'kafkajs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';

export interface StreamUnderTest {
  readonly store: EventStore;
  readonly readModels: DataSource;
  readonly relay: Relay;
  readonly projector: Projector;
  readonly topic: TopicReport;
  /** `Date.now()` of each publish the bus acknowledged, in order. */
  readonly published: number[];
  /** `Date.now()` of each batch the projector applied, in order. */
  readonly projected: number[];
  /** What the relay logged as failed publishes (the bus's errors, e.g. NOT_ENOUGH_REPLICAS). */
  readonly publishFailures: unknown[];
  stop(): Promise<void>;
}

/** Records the bus's acknowledgements and the projector's applied batches as they happen. */
function recording(bus: Bus, published: number[], projected: number[]): Bus {
  return {
    publish: async (topic, messages) => {
      await bus.publish(topic, messages);
      published.push(Date.now());
    },
    consume: (options) =>
      bus.consume({
        ...options,
        handleBatch: async (batch) => {
          await options.handleBatch(batch);
          projected.push(Date.now());
        },
      }),
    close: () => bus.close(),
  };
}

/**
 * A store (`databaseUrl`, PostgreSQL), the care-events topic on `brokers` with the configured
 * replication (unset: from the cluster's size), the relay and the projector into read models of
 * the same database.
 */
export async function startStreamUnderTest(options: {
  brokers: string[];
  databaseUrl: string;
  replication?: { replicationFactor?: number; minInsyncReplicas?: number };
  logger?: StreamLogger;
}): Promise<StreamUnderTest> {
  const published: number[] = [];
  const projected: number[] = [];
  const publishFailures: unknown[] = [];
  const quiet = () => undefined;
  const logger: StreamLogger = options.logger ?? {
    info: quiet,
    warn: (details: { err?: unknown }, message: string) => void (message === 'relay: publish failed' && publishFailures.push(details.err)),
    error: quiet,
  };
  const store = await createPostgresEventStore({ url: options.databaseUrl, pollIntervalMs: 50 });
  await migrateReadModels(options.databaseUrl);
  const readModels = await openReadModels(options.databaseUrl);
  // The outage makes kafkajs log connection errors by the dozen; the clocks above tell the story.
  const kafka = await KafkaBus.connect({ brokers: options.brokers, clientId: 'fault', logLevel: logLevel.NOTHING, onHandlerError: quiet });
  const topic = await createCareEventsTopic(kafka, options.replication ?? {}, logger);
  const bus = recording(kafka, published, projected);
  const projector = await startProjector({ bus, readModels, topic: topic.topic, groupId: 'fault-projector', store, logger });
  const relay = await startRelay({ store, bus, databaseUrl: options.databaseUrl, topic: topic.topic, batchSize: 500, logger });
  return {
    store,
    readModels,
    relay,
    projector,
    topic,
    published,
    projected,
    publishFailures,
    stop: async () => {
      await relay.stop();
      await projector.stop();
      await kafka.close();
      await readModels.destroy();
      await store.close();
    },
  };
}

export interface Visibility {
  readonly eventId: string;
  readonly appendedAt: number;
  /** When the read models first showed it; undefined if they never did before `stop`. */
  readonly visibleAt?: number;
}

export interface SteadyLoad {
  /** Stops appending, waits until every appended event shows (or `timeoutMs`), and returns each one's times. */
  stop(timeoutMs?: number): Promise<Visibility[]>;
}

/** A care activity of a child of its own, recorded now. */
export function careActivity(recordedBy: string): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'CareActivityRecorded',
    schemaVersion: 1,
    occurredAt: new Date().toISOString(),
    data: { activityId: randomUUID(), kind: 'talk', minutes: 15, personal: { sealed: 'bm90ZXM=' } },
    metadata: { recordedBy, schoolId: 'school-load', countyId: 'county-synthetic', correlationId: randomUUID(), causationId: null },
  };
}

/**
 * Appends `perSecond` care activities a second, each a child stream of its own, from a store
 * instance of its own (as the ingest would), and polls the read models for each until it shows.
 */
export async function appendSteadily(options: { databaseUrl: string; readModels: DataSource; perSecond: number }): Promise<SteadyLoad> {
  const writer = await createPostgresEventStore({ url: options.databaseUrl, poolSize: 4 });
  const appendedAt = new Map<string, number>();
  const pending = new Set<string>();
  const visibleAt = new Map<string, number>();
  const appends: Promise<unknown>[] = [];
  /** Appends and polls that failed: either ends the run. */
  const failures: unknown[] = [];
  let polling: Promise<void> = Promise.resolve();
  const poller = setInterval(() => {
    polling = polling.then(async () => {
      if (pending.size === 0) return;
      try {
        const found = (await options.readModels.query('SELECT event_id FROM care_activities WHERE event_id = ANY($1::uuid[])', [[...pending]])) as {
          event_id: string;
        }[];
        const now = Date.now();
        for (const { event_id } of found) {
          if (pending.delete(event_id)) visibleAt.set(event_id, now);
        }
      } catch (error) {
        failures.push(error);
      }
    });
  }, 50);
  const started = Date.now();
  let appending = true;
  const pacing = (async () => {
    for (let i = 0; appending; i++) {
      const due = started + (i * 1000) / options.perSecond;
      if (due > Date.now()) await new Promise((wait) => setTimeout(wait, due - Date.now()));
      const event = careActivity('fault-test');
      appendedAt.set(event.eventId, Date.now());
      pending.add(event.eventId);
      appends.push(writer.append(`child-${randomUUID()}`, [event], 'no-stream').catch((error: unknown) => failures.push(error)));
    }
  })();
  return {
    stop: async (timeoutMs = 60_000) => {
      appending = false;
      await pacing;
      await Promise.all(appends);
      const deadline = Date.now() + timeoutMs;
      while (pending.size > 0 && failures.length === 0 && Date.now() < deadline) await new Promise((wait) => setTimeout(wait, 50));
      clearInterval(poller);
      await polling;
      await writer.close();
      if (failures.length > 0) throw new Error(`appendSteadily: ${failures.length} appends or polls failed`, { cause: failures[0] });
      return [...appendedAt].map(([eventId, at]) => ({ eventId, appendedAt: at, visibleAt: visibleAt.get(eventId) }));
    },
  };
}

/** The longest time between successive moments of `times` within [from, to], counting from `from` and up to `to`. */
function longestGap(times: readonly number[], from: number, to: number): number {
  let previous = from;
  let longest = 0;
  for (const time of times) {
    if (time < from) continue;
    if (time > to) break;
    longest = Math.max(longest, time - previous);
    previous = time;
  }
  return Math.max(longest, to - previous);
}

/** The `p`th percentile (0–100) of `values`, by rank. */
function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Waits until `partition` of `topic` has a leader other than `former`; how long that took from `since`. */
async function electionAfter(
  leaderOf: (topic: string, partition: number) => Promise<number>,
  topic: string,
  partition: number,
  former: number,
  since: number,
): Promise<{ leader: number; ms: number }> {
  for (;;) {
    const leader = await leaderOf(topic, partition).catch(() => -1);
    if (leader >= 0 && leader !== former) return { leader, ms: Date.now() - since };
    if (Date.now() - since > 60_000) throw new Error(`no new leader of ${topic}/${partition} 60 s after node ${former} died`);
    await new Promise((wait) => setTimeout(wait, 100));
  }
}

export interface LeaderKillRun {
  /** The node killed (partition 0's leader), and the one elected in its place. */
  readonly killed: number;
  readonly elected: number;
  /** From the kill until the cluster's metadata named another leader of partition 0. */
  readonly electionMs: number;
  /** The longest time without an acknowledged publish / an applied batch, from a second before the kill to the last append. */
  readonly relayPauseMs: number;
  readonly projectorPauseMs: number;
  /** Append → visible in the read models, p95, of the events appended while the node was down / from 3 s after its restart. */
  readonly lagP95DuringKillMs: number;
  readonly lagP95AfterRestartMs: number;
  readonly seen: readonly Visibility[];
}

/**
 * Appends steadily; after `beforeMs`, kill -9 of partition 0's leader; its restart `downMs` after
 * the new leader's election; `afterMs` more of appends; then every appended event awaited.
 */
export async function killLeaderUnderLoad(
  cluster: KafkaCluster,
  stream: StreamUnderTest,
  options: { databaseUrl: string; perSecond: number; beforeMs: number; downMs: number; afterMs: number },
): Promise<LeaderKillRun> {
  const load = await appendSteadily({ databaseUrl: options.databaseUrl, readModels: stream.readModels, perSecond: options.perSecond });
  let killed: number, killedAt: number, election: { leader: number; ms: number }, restartedAt: number;
  try {
    await sleep(options.beforeMs);
    killed = await cluster.leaderOf(stream.topic.topic, 0);
    killedAt = Date.now();
    await cluster.kill(killed, 'SIGKILL');
    election = await electionAfter(cluster.leaderOf, stream.topic.topic, 0, killed, killedAt);
    await sleep(options.downMs);
    await cluster.restart(killed);
    restartedAt = Date.now();
    await sleep(options.afterMs);
  } catch (error) {
    await load.stop(0).catch(() => undefined);
    throw error;
  }
  const seen = await load.stop();
  const lastAppend = Math.max(...seen.map((event) => event.appendedAt));
  const lagP95 = (events: readonly Visibility[]) => percentile(events.map((event) => (event.visibleAt ?? Infinity) - event.appendedAt), 95);
  return {
    killed,
    elected: election.leader,
    electionMs: election.ms,
    relayPauseMs: longestGap(stream.published, killedAt - 1_000, lastAppend),
    projectorPauseMs: longestGap(stream.projected, killedAt - 1_000, lastAppend),
    lagP95DuringKillMs: lagP95(seen.filter((event) => event.appendedAt >= killedAt && event.appendedAt < restartedAt)),
    lagP95AfterRestartMs: lagP95(seen.filter((event) => event.appendedAt >= restartedAt + 3_000)),
    seen,
  };
}
