import type { EventStore } from '@lbc/event-store';
import { createPostgresEventStore } from '@lbc/event-store';
import { migrateReadModels, openReadModels } from '@lbc/read-models';
import { rebuildReadModels } from '@lbc/event-stream';
import { appendStreams, rowCounts, snapshotReadModels, syntheticCounty } from '@lbc/event-stream/testing';
import type { TestDatabase } from '@lbc/testing';
import { createTestDatabase, spawnApp } from '@lbc/testing';

const REBUILD = ['apps/projector/src/main.ts', ['rebuild']] as const;

describe('npm run rebuild', () => {
  let db: TestDatabase;
  let store: EventStore;
  let events: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = await createPostgresEventStore({ url: db.url });
    events = await appendStreams(store, syntheticCounty({ schools: 2, childrenPerSchool: 12, seed: 11 }), 4);
    await migrateReadModels(db.url);
  }, 120_000);

  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  async function snapshotOf(url: string) {
    const readModels = await openReadModels(url);
    try {
      return await snapshotReadModels(readModels);
    } finally {
      await readModels.destroy();
    }
  }

  it('replays the store into fresh read models, swaps them in and reports its rate', async () => {
    const rebuild = spawnApp(...REBUILD, { DATABASE_URL: db.url });
    expect(await rebuild.exited).toBe(0);
    expect(rebuild.output()).toMatch(new RegExp(`rebuilt ${events} events \\(\\d+ facts\\) in [\\d.]+ s: \\d+ events/s; swapped in`));
    const rebuilt = await snapshotOf(db.url);
    expect(Object.values(rowCounts(rebuilt)).reduce((a, b) => a + b, 0)).toBeGreaterThan(events / 2);
    await rebuildReadModels({ store, databaseUrl: db.url });
    expect(await snapshotOf(db.url)).toEqual(rebuilt);
  }, 60_000);

  it('reads the store EVENTSTORE_URL names, not the PostgreSQL one beside the read models, and swaps nothing in when it cannot', async () => {
    const before = await snapshotOf(db.url);
    // Nothing listens there: the rebuild must fail rather than replay PostgreSQL's events.
    const rebuild = spawnApp(...REBUILD, { DATABASE_URL: db.url, EVENTSTORE_URL: 'esdb://127.0.0.1:1?tls=false' });
    expect(await rebuild.exited).not.toBe(0);
    expect(rebuild.output()).not.toMatch(/swapped in/);
    expect(await snapshotOf(db.url)).toEqual(before);
  }, 60_000);

  it('stops at a configuration error with one line naming the variable, not a stack trace', async () => {
    const rebuild = spawnApp(...REBUILD, { DATABASE_URL: 'mysql://db/lbc' });
    expect(await rebuild.exited).toBe(1);
    expect(rebuild.output().trim().split('\n')).toEqual(['rebuild: Invalid configuration: DATABASE_URL: must be a postgres:// URL']);
  }, 60_000);
});
