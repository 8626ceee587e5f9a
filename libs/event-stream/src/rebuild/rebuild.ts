import type { Checkpoint, EventStore, RecordedEvent } from '@lbc/event-store';
import { START } from '@lbc/event-store';
import type { FactRow } from '@lbc/read-models';
import { LIVE_SCHEMA, deriveAll, factOf, migrateReadModels, openReadModels, writeFacts } from '@lbc/read-models';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { READ_MODELS_SWAP_LOCK } from '../stream.constants';

/** Where a rebuild fills fresh tables while the live schema keeps serving. */
export const NEXT_SCHEMA = 'read_models_next';
const OLD_SCHEMA = 'read_models_old';
const PAGES_AHEAD = 2;
// Two batches written at once keep both cores of a small server busy (about a fifth faster here).
const LOAD_WRITERS = 2;

export interface RebuildOptions {
  readonly store: EventStore;
  readonly databaseUrl: string;
  readonly batchSize?: number;
  /** After each batch: events replayed so far. */
  readonly onProgress?: (replayed: number) => void;
}

export interface RebuildResult {
  readonly events: number;
  readonly facts: number;
  readonly checkpoint: Checkpoint;
}

function factsOf(events: readonly RecordedEvent[]): FactRow[] {
  return events.map(factOf).filter((fact): fact is FactRow => fact !== null);
}

async function onServer(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Drops the fresh schema's secondary indexes and returns the statements that build them again:
 * one sorted build per index after the bulk load costs far less than keeping ~35 indexes up to
 * date row by row. Indexes behind constraints (the `event_id` keys) stay, for `ON CONFLICT`.
 */
async function dropSecondaryIndexes(next: DataSource): Promise<string[]> {
  const indexes = (await next.query(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE c.relnamespace = $1::regnamespace AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`,
    [NEXT_SCHEMA],
  )) as { name: string; definition: string }[];
  for (const { name } of indexes) await next.query(`DROP INDEX ${name}`);
  return indexes.map((index) => index.definition);
}

/** Runs the statements on `connections` connections of the pool at once. */
async function inParallel(next: DataSource, statements: readonly string[], connections: number): Promise<void> {
  const queue = [...statements];
  await Promise.all(
    Array.from({ length: connections }, async () => {
      for (let sql = queue.shift(); sql !== undefined; sql = queue.shift()) await next.query(sql);
    }),
  );
}

/**
 * The store's events after `after`, page by page. The reader runs up to `ahead` pages in front
 * of the consumer, so reading (PostgreSQL and JSON parsing) overlaps writing.
 */
async function* pagesOf(store: EventStore, after: Checkpoint, limit: number, ahead: number): AsyncGenerator<RecordedEvent[]> {
  const pages: Promise<RecordedEvent[]>[] = [];
  // Where the next read starts (null once a page came back empty): each read waits for the one before.
  let tail: Promise<Checkpoint | null> = Promise.resolve(after);
  const readNext = () => {
    const page = tail.then((position) => (position === null ? [] : store.readAll({ after: position, limit })));
    tail = page.then((events) => (events.length > 0 ? events[events.length - 1].checkpoint : null));
    // A failed read rejects when its page is taken; the pages read ahead of it must not be reported unhandled.
    tail.catch(() => undefined);
    page.catch(() => undefined);
    pages.push(page);
  };
  for (let i = 0; i < ahead; i++) readNext();
  for (;;) {
    const page = await (pages.shift() as Promise<RecordedEvent[]>);
    if (page.length === 0) return;
    readNext();
    yield page;
  }
}

/**
 * Replays the event store into a fresh schema, then swaps it in for the live one in a single
 * transaction. Until the swap the live schema keeps serving and the live projector keeps writing
 * there. The swap, holding the lock that every projector batch takes shared:
 * 1. replays the events appended meanwhile, so the fresh tables hold every event in the store —
 *    a superset of what the projector has applied, since the relay publishes only stored events;
 * 2. copies the projector's offsets, so it resumes right after what it had applied; the messages
 *    after them are either new or already replayed, and fact keys (event ids) skip the latter;
 * 3. renames the schemas. The old one is dropped afterwards.
 */
export async function rebuildReadModels(options: RebuildOptions): Promise<RebuildResult> {
  const { store, databaseUrl } = options;
  const batchSize = options.batchSize ?? 5000;
  await onServer(databaseUrl, `DROP SCHEMA IF EXISTS ${NEXT_SCHEMA} CASCADE; DROP SCHEMA IF EXISTS ${OLD_SCHEMA} CASCADE`);
  await migrateReadModels(databaseUrl, NEXT_SCHEMA);
  const next = await openReadModels(databaseUrl, NEXT_SCHEMA, 2);
  let events = 0;
  let facts = 0;
  let checkpoint: Checkpoint = START;

  // Up to `writers` batches are written at once: facts are keyed rows, so their order is free.
  // Progress (and the checkpoint the next replay starts after) moves in store order.
  const replay = async (write: (rows: FactRow[]) => Promise<number>, writers: number): Promise<void> => {
    const writing: Promise<void>[] = [];
    try {
      for await (const batch of pagesOf(store, checkpoint, batchSize, PAGES_AHEAD)) {
        const previous = writing[writing.length - 1] ?? Promise.resolve();
        const written = write(factsOf(batch));
        const done = Promise.all([written, previous]).then(([n]) => {
          facts += n;
          events += batch.length;
          checkpoint = batch[batch.length - 1].checkpoint;
          options.onProgress?.(events);
        });
        // Awaited in turn below; a failure meanwhile must not count as unhandled.
        done.catch(() => undefined);
        writing.push(done);
        if (writing.length >= writers) await writing.shift();
      }
    } finally {
      // Even when a batch failed: no write may still be running when the connections close.
      await Promise.allSettled(writing);
    }
    await Promise.all(writing);
  };

  try {
    const indexes = await dropSecondaryIndexes(next);
    // Each batch commits on its own, without waiting for its WAL to reach the disk: a crash
    // loses only tables that are not live yet, and the next run starts over. The swap below
    // commits durably, and its flush carries every earlier commit's WAL with it.
    await replay((rows) =>
      next.transaction(async (manager) => {
        await manager.query('SET LOCAL synchronous_commit = off');
        return writeFacts(manager, rows, 'skip', 'later');
      }),
      LOAD_WRITERS,
    );
    await inParallel(next, indexes, 2);
    // What the projector derives batch by batch is derived once from the loaded facts; the
    // events appended meanwhile are then projected as the projector does.
    await next.transaction((manager) => deriveAll(manager));
    await next.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [READ_MODELS_SWAP_LOCK]);
      await replay((rows) => writeFacts(manager, rows), 1);
      const [{ live }] = (await manager.query('SELECT to_regnamespace($1) IS NOT NULL AS live', [LIVE_SCHEMA])) as [{ live: boolean }];
      if (live) {
        await manager.query(`INSERT INTO projector_offsets SELECT * FROM ${LIVE_SCHEMA}.projector_offsets`);
        await manager.query(`ALTER SCHEMA ${LIVE_SCHEMA} RENAME TO ${OLD_SCHEMA}`);
      }
      await manager.query(`ALTER SCHEMA ${NEXT_SCHEMA} RENAME TO ${LIVE_SCHEMA}`);
    });
  } finally {
    await next.destroy();
  }
  await onServer(databaseUrl, `DROP SCHEMA IF EXISTS ${OLD_SCHEMA} CASCADE`);
  return { events, facts, checkpoint };
}
