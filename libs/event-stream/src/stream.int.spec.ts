import type { EventStore } from '@lbc/event-store';
import { START, createPostgresEventStore } from '@lbc/event-store';
import type { Bus, BusMessage } from '@lbc/messaging';
import { InProcessBus } from '@lbc/messaging';
import { migrateReadModels, openReadModels } from '@lbc/read-models';
import type { TestDatabase } from '@lbc/testing';
import { createTestDatabase, expectEventually } from '@lbc/testing';
import type { DataSource } from 'typeorm';
import type { StreamLogger } from './lag';
import { startProjector } from './projector/projector';
import { rebuildReadModels } from './rebuild/rebuild';
import { startRelay } from './relay/relay';
import { appendStreams } from './testing/append-streams';
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
});
