import type { EventStore, RecordedEvent } from '@lbc/event-store';
import { START, createPostgresEventStore } from '@lbc/event-store';
import type { DeliveredBatch } from '@lbc/messaging';
import { childrenInCare, countyFigures, migrateReadModels, openReadModels } from '@lbc/read-models';
import type { TestDatabase } from '@lbc/testing';
import { createTestDatabase } from '@lbc/testing';
import type { DataSource } from 'typeorm';
import { applyBatch } from '../projector/apply-batch';
import { toBusMessage } from '../relay/relay-message';
import { appendStreams } from '../testing/append-streams';
import { rowCounts, snapshotReadModels } from '../testing/read-model-snapshot';
import { syntheticCounty } from '../testing/synthetic-county';
import { rebuildReadModels } from './rebuild';

const TOPIC = 'care-events';

/** What the relay would have published, as one partition's batches with offsets from `first`. */
function batches(events: readonly RecordedEvent[], first: number, size: number): DeliveredBatch[] {
  const result: DeliveredBatch[] = [];
  for (let i = 0; i < events.length; i += size) {
    result.push({
      topic: TOPIC,
      partition: 0,
      messages: events.slice(i, i + size).map((event, j) => ({ ...toBusMessage(event), partition: 0, offset: String(first + i + j) })),
    });
  }
  return result;
}

describe('rebuild', () => {
  let db: TestDatabase;
  let store: EventStore;
  let live: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = await createPostgresEventStore({ url: db.url });
    await migrateReadModels(db.url);
    live = await openReadModels(db.url);
  });
  afterAll(async () => {
    await live.destroy();
    await store.close();
    await db.drop();
  });

  it('swaps in fresh tables equal to what the projector applied, and hands over its offsets', async () => {
    await appendStreams(store, syntheticCounty({ schools: 4, childrenPerSchool: 25, seed: 11 }));
    const firstPart = await store.readAll({ after: START, limit: 100_000 });
    // The live projector applied the first part, one message published twice among it.
    const published = [...firstPart.slice(0, 300), firstPart[120], ...firstPart.slice(300)];
    for (const batch of batches(published, 0, 64)) await applyBatch(live, batch);
    const asOf = { scope: { kind: 'county' as const, id: 'county-synthetic' }, asOf: '2025-06-30', recordedBy: null };
    const before = await childrenInCare(live.manager, asOf);
    expect(before.childrenInCare).toBeGreaterThan(50);

    // More events arrive; the rebuild takes them all, the projector has not seen them yet.
    await appendStreams(store, syntheticCounty({ schools: 2, childrenPerSchool: 20, seed: 12 }));
    const rebuilt = await rebuildReadModels({ store, databaseUrl: db.url, batchSize: 97 });
    const all = await store.readAll({ after: START, limit: 100_000 });
    expect(rebuilt.events).toBe(all.length);

    // The projector resumes from the handed-over offset: already replayed events insert nothing.
    const [{ offset }] = (await live.query('SELECT "offset" FROM projector_offsets')) as { offset: string }[];
    expect(Number(offset)).toBe(published.length - 1);
    const secondPart = all.slice(firstPart.length);
    const afterSwap = batches([...firstPart.slice(-5), ...secondPart], published.length - 5, 50);
    const applied = [];
    for (const batch of afterSwap) applied.push(await applyBatch(live, batch));
    expect(applied.reduce((sum, a) => sum + a.inserted, 0)).toBe(0);
    expect(applied.reduce((sum, a) => sum + a.fresh, 0)).toBe(secondPart.length);

    const projected = await snapshotReadModels(live);
    expect(rowCounts(projected).care_activities).toBeGreaterThan(400);
    // What the projector derived batch by batch equals what a rebuild derives at once.
    const derived = async () => ({
      states: (await live.query('SELECT * FROM child_states t ORDER BY t::text')) as unknown[],
      covers: (await live.query('SELECT * FROM child_covers t ORDER BY t::text')) as unknown[],
    });
    const projectedDerived = await derived();
    expect(projectedDerived.states.length).toBeGreaterThan(200);
    expect(projectedDerived.covers.length).toBeGreaterThan(100);
    await rebuildReadModels({ store, databaseUrl: db.url });
    expect(await snapshotReadModels(live)).toEqual(projected);
    expect(await derived()).toEqual(projectedDerived);
    const figures = { countyId: 'county-synthetic', asOf: '2025-03-31', from: '2024-09-01', maxCarerLoad: 3 };
    const fromFacts = await countyFigures(live.manager, { ...figures, recordedBy: '2100-01-01T00:00:00Z' });
    expect(await countyFigures(live.manager, { ...figures, recordedBy: null })).toEqual(fromFacts);
    expect(fromFacts.county.paired).toBeGreaterThan(50);
    expect((await childrenInCare(live.manager, asOf)).childrenInCare).toBeGreaterThan(before.childrenInCare);
  }, 60_000);

  it('skips messages at or below the stored offset, in one transaction with the facts', async () => {
    const events = (await store.readAll({ after: START, limit: 10 })).map((event) => event);
    const [batch] = batches(events, 1_000_000, 10);
    const partitionTwo = { ...batch, partition: 2 };
    expect((await applyBatch(live, partitionTwo)).fresh).toBe(10);
    expect((await applyBatch(live, partitionTwo)).fresh).toBe(0);
    const overlapping = { ...partitionTwo, messages: [...partitionTwo.messages.slice(5), { ...partitionTwo.messages[9], offset: '1000010' }] };
    expect(await applyBatch(live, overlapping)).toMatchObject({ fresh: 1, inserted: 0 });
  });
});
