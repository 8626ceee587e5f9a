import type { ChildState } from '@lbc/domain';
import type { LockedCarers } from './carer-pairings';
import { carerLoadInBatch } from './carer-pairings';

const CARER = 'carer-1';
const child = (...active: string[]): ChildState =>
  ({ status: 'registered', pairings: active.map((pairingId) => ({ pairingId, carerId: CARER, role: 'head-teacher', since: '2025-03-01T10:00:00+08:00', endedAt: null, endReason: null })) }) as never;
const locked = (stored: Record<string, number>): LockedCarers => ({ pairingsPerChild: () => new Map(Object.entries(stored)), client: { query: () => Promise.reject(new Error('unused')) } as never });

describe('carerLoadInBatch: the load a PairingStarted is decided against', () => {
  it('is the stored count when the batch changed no child', () => {
    const unchanged = child('p1');
    expect(carerLoadInBatch(CARER, locked({ a: 1, b: 1 }), [{ childId: 'a', read: unchanged, decided: unchanged }])).toBe(2);
  });

  it('counts every child the batch changed by its decided pairings: ended ones free a place, started ones take one', () => {
    const batch = [
      { childId: 'a', read: child('p1'), decided: child() },
      { childId: 'c', read: child(), decided: child('p3') },
    ];
    expect(carerLoadInBatch(CARER, locked({ a: 1, b: 1 }), batch)).toBe(2);
  });

  it('keeps counting a stored pairing its stale read did not see, and a read pairing the store already dropped', () => {
    // Another writer paired b after this batch read it: the row counts, the batch's fold cannot free it.
    expect(carerLoadInBatch(CARER, locked({ b: 1 }), [{ childId: 'b', read: child(), decided: child('p9') }])).toBe(2);
    // Another writer ended a's pairing after the read: the decided fold still holds it, so it counts.
    const unchanged = child('p1');
    expect(carerLoadInBatch(CARER, locked({}), [{ childId: 'a', read: unchanged, decided: { ...unchanged } }])).toBe(1);
  });
});
