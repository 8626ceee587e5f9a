import type { EventStore } from '@lbc/event-store';
import { START, createPostgresEventStore } from '@lbc/event-store';
import type { Bus, BusMessage, ConsumeOptions, DeliveredBatch } from '@lbc/messaging';
import { InProcessBus } from '@lbc/messaging';
import { migrateReadModels, openReadModels } from '@lbc/read-models';
import type { TestDatabase } from '@lbc/testing';
import { createTestDatabase, expectEventually } from '@lbc/testing';
import type { DataSource } from 'typeorm';
import type { StreamLogger } from './lag';
import { startProjector } from './projector/projector';
import { rebuildReadModels } from './rebuild/rebuild';
import { toBusMessage } from './relay/relay-message';
import { startRelay } from './relay/relay';
import { appendStreams } from './testing/append-streams';
import { careActivity } from './testing/stream-under-load';
import { rowCounts, snapshotReadModels } from './testing/read-model-snapshot';
import { syntheticCounty } from './testing/synthetic-county';

const quiet: StreamLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const TOPIC = 'care-events';

/** A bus whose `publish` number `failAt` reaches the bus, then never returns: a relay stopped between publish and checkpoint. */
function stallingAfterPublish(bus: Bus, failAt: number): { bus: Bus; release: () => void } {
  let calls = 0;
  let release = () => undefined as void;
  return {
    bus: {
      publish: async (topic: string, messages: readonly BusMessage[]) => {
        await bus.publish(topic, messages);
        if (++calls === failAt) await new Promise<void>((_, fail) => (release = () => fail(new Error('relay stopped'))));
      },
      consume: (options) => bus.consume(options),
      close: () => bus.close(),
    },
    release: () => release(),
  };
}

describe('relay → bus → projector (in-process bus)', () => {
  let db: TestDatabase;
  let store: EventStore;
  let readModels: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = await createPostgresEventStore({ url: db.url, pollIntervalMs: 20 });
    await migrateReadModels(db.url);
    readModels = await openReadModels(db.url);
  });
  afterAll(async () => {
    await readModels.destroy();
    await store.close();
    await db.drop();
  });

  it('projects every event once, even when a relay stops between publish and checkpoint', async () => {
    const bus = new InProcessBus({ partitions: 3 });
    const projector = await startProjector({ bus, readModels, topic: TOPIC, groupId: 'projector', store, logger: quiet });
    await appendStreams(store, syntheticCounty({ schools: 3, childrenPerSchool: 20, seed: 21 }));

    const stalling = stallingAfterPublish(bus, 2);
    const first = await startRelay({ store, bus: stalling.bus, databaseUrl: db.url, topic: TOPIC, batchSize: 50, logger: quiet });
    await expectEventually(async () => expect(await first.lag()).toBeGreaterThan(0));
    await expectEventually(() => expect(first.checkpoint()).not.toBe(START));
    // The first relay has published its second batch but will never record it; another takes over.
    const second = await startRelay({ store, bus, databaseUrl: db.url, topic: TOPIC, batchSize: 50, logger: quiet });
    await appendStreams(store, syntheticCounty({ schools: 1, childrenPerSchool: 10, seed: 22 }));
    await expectEventually(async () => expect(await second.lag()).toBe(0));
    await expectEventually(async () => expect(await projector.lag()).toBe(0));

    const total = (await store.readAll({ after: START, limit: 100_000 })).length;
    const projected = await snapshotReadModels(readModels);
    const erased = (await store.readAll({ after: START, limit: 100_000 })).filter((e) => e.type === 'PersonalDataErased').length;
    expect(Object.values(rowCounts(projected)).reduce((a, b) => a + b, 0)).toBe(total - erased);
    await rebuildReadModels({ store, databaseUrl: db.url });
    expect(await snapshotReadModels(readModels)).toEqual(projected);

    stalling.release();
    await Promise.all([first.stop(), second.stop(), projector.stop()]);
    await bus.close();
  }, 60_000);

  it('applies the batches of partitions that wait for a transaction together, in one, each with its offset', async () => {
    const topic = 'grouped-batches';
    // One batch per partition, each a care activity of the same school on the same day.
    const events = [];
    for (let partition = 0; partition < 5; partition++) {
      const { events: appended } = await store.append(`child-${partition}-${Date.now()}`, [careActivity('projector-spec')], 'no-stream');
      events.push(...appended);
    }
    const batches: DeliveredBatch[] = events.map((event, partition) => ({
      topic,
      partition,
      messages: [{ ...toBusMessage(event), partition, offset: '0' }],
    }));
    let handleBatch: ConsumeOptions['handleBatch'] | undefined;
    const stub: Bus = {
      publish: async () => undefined,
      consume: async (options) => {
        handleBatch = options.handleBatch;
        return { stop: async () => undefined };
      },
      close: async () => undefined,
    };
    const projector = await startProjector({ bus: stub, readModels, topic, groupId: 'projector-spec', store, logger: quiet });
    // One transaction at a time: the first batch starts alone, the other four wait and go together.
    await Promise.all(batches.map((batch) => handleBatch?.(batch)));

    const offsets = (await readModels.query(`SELECT partition, "offset", xmin::text AS transaction FROM projector_offsets WHERE topic = $1 ORDER BY partition`, [topic])) as {
      partition: number;
      offset: string;
      transaction: string;
    }[];
    expect(offsets.map(({ partition, offset }) => [partition, offset])).toEqual([0, 1, 2, 3, 4].map((partition) => [partition, '0']));
    expect(new Set(offsets.map(({ transaction }) => transaction)).size).toBe(2);
    expect(new Set(offsets.slice(1).map(({ transaction }) => transaction)).size).toBe(1);
    const [{ applied }] = (await readModels.query('SELECT count(*)::int AS applied FROM care_activities WHERE event_id = ANY($1::uuid[])', [
      events.map((event) => event.eventId),
    ])) as { applied: number }[];
    expect(applied).toBe(5);
    expect(await projector.lag()).toBe(0);
    await projector.stop();
  });
});
