import { createPostgresEventStore } from '@lbc/event-store';
import type { EventStore } from '@lbc/event-store';
import type { Bus, ConsumeOptions, DeliveredBatch } from '@lbc/messaging';
import { migrateReadModels, openReadModels } from '@lbc/read-models';
import type { TestDatabase } from '@lbc/testing';
import { createTestDatabase } from '@lbc/testing';
import type { DataSource } from 'typeorm';
import { toBusMessage } from '../relay/relay-message';
import { careActivity } from '../testing/stream-under-load';
import { startProjector } from './projector';

const TOPIC = 'care-events';
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('projector', () => {
  let db: TestDatabase;
  let store: EventStore;
  let readModels: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = await createPostgresEventStore({ url: db.url });
    await migrateReadModels(db.url);
    readModels = await openReadModels(db.url);
  });
  afterAll(async () => {
    await readModels.destroy();
    await store.close();
    await db.drop();
  });

  it('applies the batches of partitions that wait for a transaction together, in one, each with its offset', async () => {
    // One batch per partition, each a care activity of the same school on the same day.
    const events = [];
    for (let partition = 0; partition < 5; partition++) {
      const { events: appended } = await store.append(`child-${partition}-${Date.now()}`, [careActivity('projector-spec')], 'no-stream');
      events.push(...appended);
    }
    const batches: DeliveredBatch[] = events.map((event, partition) => ({
      topic: TOPIC,
      partition,
      messages: [{ ...toBusMessage(event), partition, offset: '0' }],
    }));
    let handleBatch: ConsumeOptions['handleBatch'] | undefined;
    const bus: Bus = {
      publish: async () => undefined,
      consume: async (options) => {
        handleBatch = options.handleBatch;
        return { stop: async () => undefined };
      },
      close: async () => undefined,
    };
    const projector = await startProjector({ bus, readModels, topic: TOPIC, groupId: 'projector-spec', store, logger: quiet });
    // One transaction at a time: the first batch starts alone, the other four wait and go together.
    await Promise.all(batches.map((batch) => handleBatch?.(batch)));

    const offsets = (await readModels.query(`SELECT partition, "offset", xmin::text AS transaction FROM projector_offsets WHERE topic = $1 ORDER BY partition`, [TOPIC])) as {
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
