import type { Pool, PoolClient } from 'pg';
import type { ChildState } from '@lbc/domain';
import { activePairings, parseStreamId, streamIdOf } from '@lbc/domain';
import type { Checkpoint, EventStore } from '@lbc/event-store';
import { START } from '@lbc/event-store';
import { transaction } from '@lbc/postgres';
import { foldStream } from './aggregates';

type Queryable = Pick<PoolClient, 'query'>;

/** Active pairings of carers, held under their advisory locks until the writer is done. */
export interface LockedCarers {
  /** The carer's active pairings as stored, per child. */
  pairingsPerChild(carerId: string): ReadonlyMap<string, number>;
  /** The connection holding the locks: rows written through it commit with them. */
  readonly client: Queryable;
}

const CATCH_UP_PAGE = 1000;

/** A child stream a batch decides on: its state as read from the store, and as decided so far. */
export interface ChildInBatch {
  readonly childId: string;
  readonly read: ChildState;
  readonly decided: ChildState;
}

/**
 * A carer's load after the batch's decisions so far, by the rule of the stored count (the active
 * pairings of each child's fold: a pairing ended, or of a child who left care, no longer counts):
 * the stored count, with every child the batch changed counted by its decided state. A stored
 * pairing that the child's read state lacks (another writer started it after the read) still
 * counts: a stale read may refuse a pairing, never admit one.
 */
export function carerLoadInBatch(carerId: string, locked: LockedCarers | undefined, children: Iterable<ChildInBatch>): number {
  const stored = locked?.pairingsPerChild(carerId) ?? new Map<string, number>();
  const withCarer = (child: ChildState) => activePairings(child).filter((p) => p.carerId === carerId).length;
  let load = [...stored.values()].reduce((sum, n) => sum + n, 0);
  for (const { childId, read, decided } of children) {
    if (read !== decided) load += withCarer(decided) - Math.min(stored.get(childId) ?? 0, withCarer(read));
  }
  return load;
}

/**
 * The carer-load rule needs, at decide time, how many children a carer is paired with; pairings
 * live on many child streams. This command-side table keeps each child's active pairings (one
 * row per pairing) with the child stream revision they reflect, so that:
 * - a writer starting pairings takes the PostgreSQL advisory lock of each carer involved (sorted,
 *   so writers never deadlock), counts, decides, appends, and writes the rows before releasing the
 *   locks: two writers cannot both take a carer's last place;
 * - a writer that only ends pairings writes the rows without the lock (a count that is briefly
 *   too high refuses, never admits, a pairing); a row set older than the one stored is ignored;
 * - at start, `catchUp` refolds every child stream written since the last start, so a process
 *   that died between its append and its row write leaves no wrong count behind; on an empty
 *   table that is a full rebuild from the store.
 */
export class CarerPairings {
  constructor(
    private readonly pool: Pool,
    private readonly store: EventStore,
  ) {}

  async withCarersLocked<T>(carerIds: readonly string[], work: (locked: LockedCarers) => Promise<T>): Promise<T> {
    return transaction(this.pool, async (client) => {
      const sorted = [...new Set(carerIds)].sort();
      for (const carerId of sorted) await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`carer-load:${carerId}`]);
      const { rows } = await client.query<{ carer_id: string; child_id: string; n: number }>(
        'SELECT carer_id, child_id, count(*)::int AS n FROM carer_pairings WHERE carer_id = ANY($1) GROUP BY carer_id, child_id',
        [sorted],
      );
      const perCarer = new Map<string, Map<string, number>>();
      for (const row of rows) perCarer.set(row.carer_id, (perCarer.get(row.carer_id) ?? new Map<string, number>()).set(row.child_id, row.n));
      return work({ pairingsPerChild: (carerId) => perCarer.get(carerId) ?? new Map<string, number>(), client });
    });
  }

  /** Records the child's active pairings as of `revision` of its stream. */
  async record(childId: string, revision: number, child: ChildState, through?: Queryable): Promise<void> {
    const pairings = activePairings(child);
    const write = async (client: Queryable) => {
      const { rowCount } = await client.query(
        `INSERT INTO carer_pairing_children (child_id, revision) VALUES ($1, $2)
         ON CONFLICT (child_id) DO UPDATE SET revision = EXCLUDED.revision WHERE carer_pairing_children.revision < EXCLUDED.revision`,
        [childId, revision],
      );
      if (rowCount === 0) return;
      await client.query('DELETE FROM carer_pairings WHERE child_id = $1', [childId]);
      if (pairings.length === 0) return;
      await client.query('INSERT INTO carer_pairings (child_id, pairing_id, carer_id) SELECT $1, * FROM unnest($2::text[], $3::text[])', [
        childId,
        pairings.map((p) => p.pairingId),
        pairings.map((p) => p.carerId),
      ]);
    };
    if (through) return write(through);
    await transaction(this.pool, write);
  }

  /** Refolds the child streams written since the last catch-up (all of them the first time). */
  async catchUp(): Promise<{ children: number }> {
    const { rows } = await this.pool.query<{ checkpoint: string }>('SELECT checkpoint FROM carer_pairings_checkpoint');
    let after = (rows[0]?.checkpoint ?? START) as Checkpoint;
    const children = new Set<string>();
    for (;;) {
      const page = await this.store.readAll({ after, limit: CATCH_UP_PAGE });
      if (page.length === 0) break;
      for (const event of page) {
        const subject = parseStreamId(event.streamId);
        if (subject?.kind === 'child') children.add(subject.id);
      }
      after = page[page.length - 1].checkpoint;
    }
    for (const childId of children) {
      const events = await this.store.readStream(streamIdOf('child', childId));
      const state = foldStream('child', events);
      if (state.status === 'registered' && state.pairings.length > 0) await this.record(childId, events.length - 1, state);
    }
    await this.pool.query(
      `INSERT INTO carer_pairings_checkpoint (checkpoint) VALUES ($1) ON CONFLICT (id) DO UPDATE SET checkpoint = EXCLUDED.checkpoint`,
      [after],
    );
    return { children: children.size };
  }
}
