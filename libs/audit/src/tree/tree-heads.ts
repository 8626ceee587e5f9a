import type { KeyObject } from 'node:crypto';
import type { Pool } from 'pg';
import type { SignedTreeHead } from '../merkle/signed-tree-head';
import { signTreeHead } from '../merkle/signed-tree-head';
import type { MerkleLog } from './merkle-log';

export interface TreeHeadKey {
  /** Names the log and the key in every note (no spaces or plus signs). */
  readonly name: string;
  readonly privateKey: KeyObject;
}

export interface StoredTreeHead extends SignedTreeHead {
  readonly id: number;
}

type Row = { id: string; tree_size: string; root_hash: Buffer; signed_at: Date; note: string };

const fromRow = (row: Row): StoredTreeHead => ({
  id: Number(row.id),
  // The note's first line: heads signed under an earlier name keep theirs.
  origin: row.note.slice(0, row.note.indexOf('\n')),
  treeSize: Number(row.tree_size),
  rootHash: row.root_hash,
  time: row.signed_at.toISOString(),
  note: row.note,
});

/** Signs heads of the Merkle log with a key kept outside the database, and keeps every head signed. */
export class TreeHeads {
  constructor(
    private readonly pool: Pool,
    private readonly log: MerkleLog,
    private readonly key: TreeHeadKey,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Signs the tree as it stands now. */
  async sign(): Promise<StoredTreeHead> {
    const { treeSize } = await this.log.position();
    const time = this.clock();
    const head = signTreeHead(
      { origin: this.key.name, treeSize, rootHash: await this.log.root(treeSize), time: time.toISOString() },
      this.key.name,
      this.key.privateKey,
    );
    const { rows } = await this.pool.query<Row>(
      'INSERT INTO audit.tree_heads (tree_size, root_hash, signed_at, note) VALUES ($1, $2, $3, $4) RETURNING *',
      [head.treeSize, head.rootHash, time, head.note],
    );
    return fromRow(rows[0]);
  }

  /** Newest first; `before` an id, for paging. */
  async list(limit: number, before?: number): Promise<StoredTreeHead[]> {
    const { rows } = await this.pool.query<Row>(
      'SELECT * FROM audit.tree_heads WHERE ($1::bigint IS NULL OR id < $1) ORDER BY id DESC LIMIT $2',
      [before ?? null, limit],
    );
    return rows.map(fromRow);
  }

  /** Signs unless a head was signed within `maxAgeMs` (at least daily, as transparency logs do). */
  async signIfOlderThan(maxAgeMs: number): Promise<StoredTreeHead | null> {
    const [latest] = await this.list(1);
    if (latest && this.clock().getTime() - Date.parse(latest.time) < maxAgeMs) return null;
    return this.sign();
  }
}
