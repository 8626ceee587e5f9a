import { Client } from 'pg';
import type { RecordedEvent } from '../event-store.port';
import { START } from '../event-store.port';
import type { TestDatabase } from '@lbc/testing';
import { createTestDatabase, expectEventually, newTestEvent, newTestStreamId } from '@lbc/testing';
import { describeEventStoreConformance } from '@lbc/testing/conformance';
import { chainEvents, contentDigest, GENESIS_HASH, verifyChain } from '../chain/chain';
import { decodeCheckpoint } from '../checkpoint';
import { EventIdConflictError } from '../event-store.errors';
import { appendCall } from './event-rows';
import { migratePostgresEventStore } from './event-store.migrations';
import type { PostgresEventStore } from './postgres-event-store';
import { createPostgresEventStore } from './postgres-event-store';

describeEventStoreConformance('PostgreSQL', async () => {
  const db = await createTestDatabase();
  const store = await createPostgresEventStore({
    url: db.url,
    pollIntervalMs: 50,
  });
  return {
    store,
    dispose: async () => {
      await store.close();
      await db.drop();
    },
  };
});

describe('PostgreSQL event store', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let raw: Client;
  let observer: Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = await createPostgresEventStore({ url: db.url, pollIntervalMs: 50 });
    raw = new Client({ connectionString: db.url });
    await raw.connect();
    observer = new Client({ connectionString: db.url });
    await observer.connect();
  });
  afterAll(async () => {
    await raw?.end();
    await observer?.end();
    await store?.close();
    await db?.drop();
  });

  it('never lets a reader pass an append that commits late', async () => {
    const start = await store.headCheckpoint();
    const late = newTestStreamId();
    const early = newTestStreamId();
    const lateEvent = newTestEvent();
    const chained = chainEvents(late, [lateEvent], { revision: -1, hash: GENESIS_HASH }, new Date().toISOString());
    const received: RecordedEvent[] = [];
    const subscription = store.subscribeToAll({
      after: start,
      handle: async (events) => void received.push(...events),
    });

    await raw.query('BEGIN');
    await raw.query(
      appendCall(
        late,
        'no-stream',
        [
          {
            eventId: lateEvent.eventId,
            contentDigest: contentDigest(lateEvent),
          },
        ],
        chained,
      ),
    );
    const { events: committed } = await store.append(early, [newTestEvent()], 'no-stream');
    // The late append holds the smaller global position: a reader ordered by it alone would
    // deliver `early` now and skip `late` for good when it commits.
    const lateRow = await raw.query<{ global_position: string }>('SELECT global_position FROM event_store.events WHERE stream_id = $1', [
      late,
    ]);
    expect(Number(lateRow.rows[0].global_position)).toBeLessThan(committed[0].globalPosition);
    expect(await store.readAll({ after: start, limit: 10 })).toEqual([]);
    expect(await store.headCheckpoint()).toBe(start);

    await raw.query('COMMIT');
    expect((await store.readAll({ after: start, limit: 10 })).map((event) => event.streamId)).toEqual([late, early]);
    await expectEventually(() => expect(received.map((event) => event.streamId)).toEqual([late, early]));
    await subscription.stop();
  });

  it('lets readers pass a transaction that writes elsewhere, and refuses to append in one', async () => {
    const start = await store.headCheckpoint();
    await raw.query('BEGIN');
    try {
      await raw.query('SELECT pg_current_xact_id()');
      const { events } = await store.append(newTestStreamId(), [newTestEvent()], 'no-stream');
      expect((await store.readAll({ after: start, limit: 10 })).map((event) => event.eventId)).toEqual([events[0].eventId]);
      expect(await store.headCheckpoint()).toBe(events[0].checkpoint);
      const streamId = newTestStreamId();
      const event = newTestEvent();
      const chained = chainEvents(streamId, [event], { revision: -1, hash: GENESIS_HASH }, new Date().toISOString());
      await expect(raw.query(appendCall(streamId, 'no-stream', [{ eventId: event.eventId, contentDigest: contentDigest(event) }], chained))).rejects.toThrow(
        'event_store.append must be the first write of its transaction',
      );
    } finally {
      await raw.query('ROLLBACK');
    }
  });

  it('gives an append its transaction id only once it holds the stream lock', async () => {
    const streamId = newTestStreamId();
    await raw.query('BEGIN');
    try {
      await raw.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [streamId]);
      const pending = store.append(streamId, [newTestEvent()], 'no-stream');
      const waiting = await expectEventually(async () => {
        // Not from `raw`: inside a transaction, pg_stat_activity stays as first read.
        const { rows } = await observer.query<{ backend_xid: string | null }>(
          `SELECT a.backend_xid::text FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND NOT l.granted AND a.datname = current_database()`,
        );
        expect(rows).toHaveLength(1);
        return rows[0];
      });
      expect(waiting.backend_xid).toBeNull();
      // The lock holder takes its xid after the waiter started: the waiter must still come later.
      const holder = await raw.query<{ xid: string }>('SELECT pg_current_xact_id()::text AS xid');
      await raw.query('COMMIT');
      const { events } = await pending;
      expect(decodeCheckpoint(events[0].checkpoint)?.major).toBeGreaterThan(BigInt(holder.rows[0].xid));
    } finally {
      await raw.query('ROLLBACK');
    }
  });

  it('recovers from a head cache made stale by another writer', async () => {
    const other = await createPostgresEventStore({ url: db.url });
    try {
      const streamId = newTestStreamId();
      await store.append(streamId, [newTestEvent()], 'no-stream');
      await other.append(streamId, [newTestEvent()], 0);
      await other.append(streamId, [newTestEvent()], 'any');
      expect((await store.append(streamId, [newTestEvent()], 'any')).nextExpectedRevision).toBe(3);
      expect((await store.append(streamId, [newTestEvent()], 3)).nextExpectedRevision).toBe(4);
      expect(verifyChain(await other.readStream(streamId))).toEqual({
        ok: true,
      });
    } finally {
      await other.close();
    }
  });

  it('refuses an eventId already stored in another stream', async () => {
    const event = newTestEvent();
    await store.append(newTestStreamId(), [event], 'no-stream');
    await expect(store.append(newTestStreamId(), [event], 'no-stream')).rejects.toBeInstanceOf(EventIdConflictError);
  });

  it('keeps stored events immutable and migrates idempotently', async () => {
    const streamId = newTestStreamId();
    await store.append(streamId, [newTestEvent()], 'no-stream');
    await expect(raw.query(`UPDATE event_store.events SET data = '{}' WHERE stream_id = $1`, [streamId])).rejects.toThrow(/append-only/);
    await expect(raw.query('DELETE FROM event_store.events WHERE stream_id = $1', [streamId])).rejects.toThrow(/append-only/);
    await migratePostgresEventStore(db.url);
    expect(await store.readStream(streamId)).toHaveLength(1);
  });

  it('starts an empty all-stream at START', async () => {
    const empty = await createTestDatabase();
    const fresh = await createPostgresEventStore({ url: empty.url });
    try {
      expect(await fresh.headCheckpoint()).toBe(START);
      expect(await fresh.readAll({ after: START, limit: 10 })).toEqual([]);
    } finally {
      await fresh.close();
      await empty.drop();
    }
  });

  it('wakes another instance’s subscription on commit, without waiting for its poll, also after its listening connection dropped', async () => {
    // Polling once a minute: only the announcement can deliver within the test's seconds.
    const reader = await createPostgresEventStore({ url: db.url, pollIntervalMs: 60_000 });
    const received: RecordedEvent[] = [];
    const subscription = reader.subscribeToAll({ after: await store.headCheckpoint(), handle: async (events) => void received.push(...events) });
    try {
      const listening = async () =>
        Number((await observer.query<{ n: string }>(`SELECT count(*) AS n FROM pg_stat_activity WHERE query = 'LISTEN event_store_appended'`)).rows[0].n);
      await expectEventually(async () => expect(await listening()).toBe(1), { timeoutMs: 5_000 });
      const first = newTestStreamId();
      const startedAt = Date.now();
      await store.append(first, [newTestEvent()], 'no-stream');
      await expectEventually(async () => expect(received.map((event) => event.streamId)).toContain(first), { timeoutMs: 5_000 });
      expect(Date.now() - startedAt).toBeLessThan(2_000);

      // An administrator ends the listening connection: it listens again and is told again.
      await observer.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN event_store_appended'`);
      await expectEventually(async () => expect(await listening()).toBe(1), { timeoutMs: 10_000 });
      const second = newTestStreamId();
      await store.append(second, [newTestEvent()], 'no-stream');
      await expectEventually(async () => expect(received.map((event) => event.streamId)).toContain(second), { timeoutMs: 5_000 });
    } finally {
      await subscription.stop();
      await reader.close();
    }
  });
});
