import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { EventStore, NewEvent } from '@lbc/event-store';
import { createPostgresEventStore } from '@lbc/event-store';
import type { TestDatabase } from '@lbc/testing';
import { createTestDatabase } from '@lbc/testing';
import { migrateIngest } from '../database/migrate-ingest';
import { CarerPairings } from './carer-pairings';

const metadata = { recordedBy: 'test', schoolId: 's1', countyId: 'c1', correlationId: 'test', causationId: null };
const event = (type: string, data: Record<string, unknown>, occurredAt = '2025-03-01T10:00:00+08:00'): NewEvent => ({
  eventId: randomUUID(),
  type,
  schemaVersion: 1,
  occurredAt,
  data,
  metadata,
});
const registered = event('ChildRegistered', {
  schoolId: 's1',
  grade: 3,
  className: '3班',
  gender: 'male',
  birthMonth: '2016-01',
  category: 'left-behind',
  parentsAway: 'both',
  guardianType: 'grandparent',
  personalFields: ['name'],
});

describe('CarerPairings: the command-side count of active pairings per carer', () => {
  let db: TestDatabase;
  let store: EventStore;
  let pool: Pool;
  let pairings: CarerPairings;
  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateIngest(db.url);
    store = await createPostgresEventStore({ url: db.url });
    pool = db.pool();
    pairings = new CarerPairings(pool, store);
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  const load = (carerId: string) => pairings.withCarersLocked([carerId], async (locked) => [...locked.pairingsPerChild(carerId).values()].reduce((sum, n) => sum + n, 0));

  it('rebuilds from the store the pairings a writer appended but never recorded, and follows their end', async () => {
    const carer = randomUUID();
    const [first, second] = [randomUUID(), randomUUID()];
    const pairingOf = new Map<string, string>();
    for (const child of [first, second]) {
      pairingOf.set(child, randomUUID());
      await store.append(`child-${child}`, [{ ...registered, eventId: randomUUID() }, event('PairingStarted', { pairingId: pairingOf.get(child), carerId: carer, role: 'head-teacher' })], 'no-stream');
    }
    expect(await load(carer)).toBe(0);
    expect(await pairings.catchUp()).toEqual({ children: 2 });
    expect(await load(carer)).toBe(2);

    await store.append(`child-${first}`, [event('PairingEnded', { pairingId: pairingOf.get(first), reason: 'graduated' }, '2025-04-01T10:00:00+08:00')], 1);
    expect(await pairings.catchUp()).toEqual({ children: 1 });
    expect(await load(carer)).toBe(1);
    expect(await pairings.catchUp()).toEqual({ children: 0 });
  });

  it('never lets an older fold of a child overwrite a newer one', async () => {
    const carer = randomUUID();
    const child = randomUUID();
    const pairing = { pairingId: 'p1', carerId: carer, role: 'head-teacher', since: '2025-03-01T10:00:00+08:00', endedAt: null, endReason: null };
    const withPairing = { status: 'registered', pairings: [pairing] } as never;
    const without = { status: 'registered', pairings: [] } as never;
    await pairings.record(child, 5, withPairing);
    await pairings.record(child, 4, without);
    expect(await load(carer)).toBe(1);
    await pairings.record(child, 6, without);
    expect(await load(carer)).toBe(0);
  });
});
