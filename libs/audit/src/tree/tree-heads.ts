import type { KeyObject } from 'node:crypto';
import type { Pool } from 'pg';
import type { AccessLog } from '@lbc/personal-data';
import type { SignedTreeHead } from '../merkle/signed-tree-head';
import { openTreeHead, signTreeHead, verifierKey } from '../merkle/signed-tree-head';
import type { MerkleLog } from './merkle-log';

export interface TreeHeadKey {
  /** Names the log and the key in every note (no spaces or plus signs). */
  readonly name: string;
  readonly privateKey: KeyObject;
}

export interface StoredTreeHead extends SignedTreeHead {
  readonly id: number;
}

type Row = { id: string; note: string };

/** The stored note is the head: what it signed is read back from it, not from columns beside it. */
function fromRow(row: Row, verifier: string): StoredTreeHead {
  const opened = openTreeHead(row.note, verifier);
  if (!opened.ok) throw new Error(`tree head #${row.id} does not verify (${opened.reason}): run npm run verify`);
  return { id: Number(row.id), ...opened.head, note: row.note };
}

/** Signs heads of the Merkle log with a key kept outside the database, and keeps every head signed. */
export class TreeHeads {
  /** The signed-note verifier key of these heads, for auditors to keep beside their copies. */
  readonly verifier: string;

  constructor(
    private readonly pool: Pool,
    private readonly log: MerkleLog,
    private readonly accessLog: AccessLog,
    private readonly key: TreeHeadKey,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.verifier = verifierKey(key.name, key.privateKey);
  }

  /** Signs the tree and the access log as they stand now. */
  async sign(): Promise<StoredTreeHead> {
    const { treeSize } = await this.log.position();
    const time = this.clock();
    const [last] = await this.accessLog.list({ limit: 1 });
    const head = signTreeHead(
      {
        origin: this.key.name,
        treeSize,
        rootHash: await this.log.root(treeSize),
        time: time.toISOString(),
        accessLog: last ? { entries: last.seq + 1, hash: last.hash } : null,
      },
      this.key.name,
      this.key.privateKey,
    );
    const { rows } = await this.pool.query<{ id: string }>(
      'INSERT INTO audit.tree_heads (tree_size, root_hash, signed_at, note) VALUES ($1, $2, $3, $4) RETURNING id',
      [head.treeSize, head.rootHash, time, head.note],
    );
    return { id: Number(rows[0].id), ...head };
  }

  /** Newest first; `before` an id, for paging. */
  async list(limit: number, before?: number): Promise<StoredTreeHead[]> {
    const { rows } = await this.pool.query<Row>(
      'SELECT id, note FROM audit.tree_heads WHERE ($1::bigint IS NULL OR id < $1) ORDER BY id DESC LIMIT $2',
      [before ?? null, limit],
    );
    return rows.map((row) => fromRow(row, this.verifier));
  }

  /** Signs unless a head was signed within `maxAgeMs` (at least daily, as transparency logs do). */
  async signIfOlderThan(maxAgeMs: number): Promise<StoredTreeHead | null> {
    // The time alone: no signature to check on the builder's every minute.
    const { rows } = await this.pool.query<{ signed_at: Date | null }>('SELECT max(signed_at) AS signed_at FROM audit.tree_heads');
    const latest = rows[0].signed_at;
    if (latest && this.clock().getTime() - latest.getTime() < maxAgeMs) return null;
    return this.sign();
  }
}
