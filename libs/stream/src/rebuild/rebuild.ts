import type { Checkpoint, EventStore, RecordedEvent } from '@lbc/event-store';
import { START } from '@lbc/event-store';
import type { FactRow } from '@lbc/read-models';
import { LIVE_SCHEMA, factOf, migrateReadModels, openReadModels, writeFacts } from '@lbc/read-models';
import { Client } from 'pg';
import type { EntityManager } from 'typeorm';
import { READ_MODELS_SWAP_LOCK } from '../stream.constants';

/** Where a rebuild fills fresh tables while the live schema keeps serving. */
export const NEXT_SCHEMA = 'read_models_next';
const OLD_SCHEMA = 'read_models_old';

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

  // Reads the next batch while the current one is written.
  const replay = async (manager: EntityManager | null): Promise<void> => {
    let batch = await store.readAll({ after: checkpoint, limit: batchSize });
    while (batch.length > 0) {
      const upcoming = store.readAll({ after: batch[batch.length - 1].checkpoint, limit: batchSize });
      // Without a caller's transaction each batch commits on its own; on a failure the next run starts over.
      facts += manager ? await writeFacts(manager, factsOf(batch)) : await next.transaction((m) => writeFacts(m, factsOf(batch)));
      events += batch.length;
      checkpoint = batch[batch.length - 1].checkpoint;
      options.onProgress?.(events);
      batch = await upcoming;
    }
  };

  try {
    await replay(null);
    await next.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [READ_MODELS_SWAP_LOCK]);
      await replay(manager);
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
