import { Client, Pool } from 'pg';
import { LRUCache } from 'lru-cache';
import type { StreamHead } from '../chain/chain';
import { chainEvents, contentDigest, GENESIS_HASH } from '../chain/chain';
import { decodeCheckpoint, encodeCheckpoint } from '../checkpoint';
import { EventIdConflictError, WrongExpectedRevisionError } from '../event-store.errors';
import type { AppendResult, Checkpoint, EventStore, ExpectedRevision, NewEvent, ReadAllOptions, RecordedEvent, SubscribeOptions, Subscription } from '../event-store.port';
import { START } from '../event-store.port';
import { validateAppend } from '../new-event.validation';
import type { AppendRow, EventRow } from './event-rows';
import { appendCall, EVENT_COLUMNS, toRecordedEvent } from './event-rows';
import { APPENDING_LOCK, migratePostgresEventStore } from './event-store.migrations';

export interface PostgresEventStoreOptions {
  /** Connection string; the schema is migrated on creation. */
  readonly url: string;
  /** Connections; the default serves 16 concurrent writers plus readers. */
  readonly poolSize?: number;
  /** Streams whose head is remembered, to append in one round trip. */
  readonly headCacheSize?: number;
  /**
   * How often a caught-up subscription looks for appends it was not told of: other processes
   * announce theirs (LISTEN/NOTIFY), so polling only covers a lost connection.
   */
  readonly pollIntervalMs?: number;
  /** Source of `recordedAt`. */
  readonly clock?: () => Date;
}

const UNIQUE_VIOLATION = '23505';
/** The channel on which every store instance announces its appends to the others. */
const CHANNEL = 'event_store_appended';
// One announcement covers every append of this window: a NOTIFY per append would queue on
// PostgreSQL's notification lock at every commit of 16 concurrent writers.
const ANNOUNCE_WINDOW_MS = 5;
const RELISTEN_AFTER_MS = 1_000;
// Each `head` answer means the stream moved (or our cache was cold): bounded so a bug cannot spin.
const MAX_ATTEMPTS = 50;

/**
 * The all-stream's horizon: events of transactions below it are all committed, and no transaction
 * below it can still append. It is the smallest xid, in this statement's snapshot, of a
 * transaction in progress that may be appending, else the snapshot's xmax. A transaction in
 * progress may be skipped only when one scan of the lock table shows it holding its xid without
 * `APPENDING_LOCK`: an append takes that lock before its xid and keeps it to its end, and refuses a
 * transaction that already has an xid, so such a transaction can never add an event. Any other (an
 * appender, or one that ended between the snapshot and the scan, whose rows this snapshot cannot
 * see) holds the horizon. Waiting for every transaction instead (the snapshot's xmin) held the relay
 * behind each projector write on the same server.
 */
const READ_HORIZON = `
  WITH locks AS MATERIALIZED (SELECT pid, locktype, mode, granted, transactionid, classid, objid, objsubid FROM pg_locks),
  not_appending AS (
    SELECT held.transactionid FROM locks held
     WHERE held.locktype = 'transactionid' AND held.mode = 'ExclusiveLock' AND held.granted AND held.pid IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM locks appending
                        WHERE appending.pid = held.pid AND appending.locktype = 'advisory'
                          AND appending.classid = ${APPENDING_LOCK[0]} AND appending.objid = ${APPENDING_LOCK[1]} AND appending.objsubid = 2)),
  horizon AS MATERIALIZED (
    SELECT coalesce(min(running), pg_snapshot_xmax(pg_current_snapshot())) AS horizon
      FROM pg_snapshot_xip(pg_current_snapshot()) running
     WHERE running::xid NOT IN (SELECT transactionid FROM not_appending))`;

const READ_ALL = {
  name: 'event_store_read_all',
  text: `${READ_HORIZON}
  SELECT ${EVENT_COLUMNS} FROM event_store.events
          WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
            AND transaction_id < (SELECT horizon FROM horizon)
          ORDER BY events.transaction_id, events.global_position LIMIT $3`,
};

export async function createPostgresEventStore(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
  await migratePostgresEventStore(options.url);
  return new PostgresEventStore(options);
}

export class PostgresEventStore implements EventStore {
  private readonly pool: Pool;
  /**
   * Last known head of recently written streams. A stale entry is harmless: the append function
   * compares the hash with the real head and answers with it.
   */
  private readonly heads: LRUCache<string, StreamHead>;
  private readonly clock: () => Date;
  private readonly pollIntervalMs: number;
  private readonly wakers = new Set<() => void>();
  private readonly subscriptions = new Set<Subscription>();
  /** Counts wake-ups, so that one arriving while a subscription reads is not slept through. */
  private wakeUps = 0;
  private announcing: NodeJS.Timeout | null = null;
  private listener: Promise<Client> | null = null;
  private closed = false;
  private readonly url: string;

  /** Expects a migrated schema: use `createPostgresEventStore`. */
  constructor(options: PostgresEventStoreOptions) {
    this.pool = new Pool({
      connectionString: options.url,
      max: options.poolSize ?? 24,
    });
    // An idle connection that the server drops emits here; the pool discards it and opens another.
    this.pool.on('error', () => undefined);
    this.heads = new LRUCache({ max: options.headCacheSize ?? 100_000 });
    this.clock = options.clock ?? (() => new Date());
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.url = options.url;
  }

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    validateAppend(streamId, events, expected);
    const digested = events.map((event) => ({
      eventId: event.eventId,
      contentDigest: contentDigest(event),
    }));
    let head = this.knownHead(streamId, expected);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const chained = head ? chainEvents(streamId, events, head, this.clock().toISOString()) : null;
      let rows: AppendRow[];
      try {
        ({ rows } = await this.pool.query<AppendRow>(appendCall(streamId, expected, digested, chained)));
      } catch (error) {
        // The same new eventId raced into another stream (another lock): the next call sees it stored.
        if ((error as { code?: string }).code === UNIQUE_VIOLATION) continue;
        throw error;
      }
      const [first] = rows;
      switch (first.outcome) {
        case 'appended': {
          const recorded: RecordedEvent[] = (chained ?? []).map((event, index) => ({
            ...event,
            globalPosition: Number(rows[index].global_position),
            checkpoint: encodeCheckpoint(rows[index].transaction_id as string, rows[index].global_position as string),
          }));
          const last = recorded[recorded.length - 1];
          this.heads.set(streamId, {
            revision: last.revision,
            hash: last.hash,
          });
          this.wake();
          this.announce();
          return {
            status: 'appended',
            events: recorded,
            nextExpectedRevision: last.revision,
          };
        }
        case 'duplicate': {
          const stored = await this.readByIds(digested.map((event) => event.eventId));
          // The duplicate's own last revision, not the stream's head: a caller continuing from
          // here must still learn, by a revision mismatch, about events it has not seen.
          return {
            status: 'duplicate',
            events: stored,
            nextExpectedRevision: stored[stored.length - 1].revision,
          };
        }
        case 'conflict':
          throw new EventIdConflictError(first.hash as string, streamId);
        case 'wrong-revision':
          throw new WrongExpectedRevisionError(streamId, expected, first.revision);
        case 'head':
          head = {
            revision: first.revision ?? -1,
            hash: first.hash ?? GENESIS_HASH,
          };
          this.heads.set(streamId, head);
          break;
      }
    }
    throw new Error(`Stream ${streamId}: no append after ${MAX_ATTEMPTS} attempts, the head kept moving`);
  }

  async readStream(streamId: string, options: { fromRevision?: number } = {}): Promise<RecordedEvent[]> {
    const { rows } = await this.pool.query<EventRow>({
      name: 'event_store_read_stream',
      text: `SELECT ${EVENT_COLUMNS} FROM event_store.events WHERE stream_id = $1 AND revision >= $2 ORDER BY revision`,
      values: [streamId, options.fromRevision ?? 0],
    });
    return rows.map(toRecordedEvent);
  }

  async readAll({ after, limit }: ReadAllOptions): Promise<RecordedEvent[]> {
    const position = decodeCheckpoint(after) ?? { major: 0n, minor: 0n };
    const { rows } = await this.pool.query<EventRow>({
      ...READ_ALL,
      values: [position.major.toString(), position.minor.toString(), limit],
    });
    return rows.map(toRecordedEvent);
  }

  subscribeToAll({ after, handle, batchSize = 500, onError }: SubscribeOptions): Subscription {
    let stopped = false;
    let interrupt: (() => void) | undefined;
    this.listen();
    const pause = (wakeUpsBeforeRead: number) =>
      new Promise<void>((resolve) => {
        if (this.wakeUps !== wakeUpsBeforeRead) return resolve();
        const done = () => {
          clearTimeout(timer);
          this.wakers.delete(done);
          interrupt = undefined;
          resolve();
        };
        const timer = setTimeout(done, this.pollIntervalMs);
        this.wakers.add(done);
        interrupt = done;
      });
    const run = async () => {
      let position = after;
      while (!stopped) {
        const wakeUps = this.wakeUps;
        try {
          const events = await this.readAll({
            after: position,
            limit: batchSize,
          });
          if (events.length > 0) {
            await handle(events);
            position = events[events.length - 1].checkpoint;
            continue;
          }
        } catch (error) {
          // The batch is read again after the pause: delivery is at least once, never skipped.
          onError?.(error);
        }
        if (!stopped) await pause(wakeUps);
      }
    };
    const finished = run();
    const subscription: Subscription = {
      stop: async () => {
        stopped = true;
        interrupt?.();
        await finished;
        this.subscriptions.delete(subscription);
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headCheckpoint(): Promise<Checkpoint> {
    const { rows } = await this.pool.query<EventRow>(
      `${READ_HORIZON}
       SELECT global_position, transaction_id::text AS transaction_id FROM event_store.events
        WHERE transaction_id < (SELECT horizon FROM horizon)
        ORDER BY events.transaction_id DESC, events.global_position DESC LIMIT 1`,
    );
    return rows.length === 0 ? START : encodeCheckpoint(rows[0].transaction_id, rows[0].global_position);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.announcing) clearTimeout(this.announcing);
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    const listener = this.listener;
    this.listener = null;
    await listener?.then((client) => client.end()).catch(() => undefined);
    await this.pool.end();
  }

  private knownHead(streamId: string, expected: ExpectedRevision): StreamHead | undefined {
    if (expected === 'no-stream') return { revision: -1, hash: GENESIS_HASH };
    const cached = this.heads.get(streamId);
    return expected === 'any' || cached?.revision === expected ? cached : undefined;
  }

  private async readByIds(eventIds: readonly string[]): Promise<RecordedEvent[]> {
    const { rows } = await this.pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM event_store.events WHERE event_id = ANY($1::uuid[]) ORDER BY revision`,
      [eventIds],
    );
    return rows.map(toRecordedEvent);
  }

  /** Our own commits are visible at once; other processes' are announced (or found by polling). */
  private wake(): void {
    this.wakeUps += 1;
    for (const waker of [...this.wakers]) waker();
  }

  /** Tells the other store instances (other processes) that events were appended. */
  private announce(): void {
    if (this.announcing || this.closed) return;
    this.announcing = setTimeout(() => {
      this.announcing = null;
      // A lost announcement costs one poll interval, never an event: polling goes on.
      this.pool.query(`SELECT pg_notify('${CHANNEL}', '')`).catch(() => undefined);
    }, ANNOUNCE_WINDOW_MS);
  }

  /** One connection per store instance listens for the others' announcements, once a subscription needs them. */
  private listen(): void {
    if (this.listener || this.closed) return;
    const connecting = (async () => {
      const client = new Client({ connectionString: this.url });
      const relisten = () => {
        if (this.listener !== connecting || this.closed) return;
        this.listener = null;
        client.end().catch(() => undefined);
        setTimeout(() => this.subscriptions.size > 0 && this.listen(), RELISTEN_AFTER_MS).unref();
      };
      client.on('error', relisten);
      client.on('end', relisten);
      client.on('notification', () => this.wake());
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      // Appends between connecting and listening were not announced to us: look once.
      this.wake();
      return client;
    })();
    this.listener = connecting;
    connecting.catch(() => {
      if (this.listener !== connecting) return;
      this.listener = null;
      if (!this.closed) setTimeout(() => this.subscriptions.size > 0 && this.listen(), RELISTEN_AFTER_MS).unref();
    });
  }
}
