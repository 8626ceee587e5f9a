import type { Pool, PoolClient } from 'pg';
import type { Checkpoint, RecordedEvent } from '@lbc/event-store';
import { START } from '@lbc/event-store';
import { transaction } from '@lbc/postgres';
import type { Hash, Range } from '../merkle/merkle';
import { EMPTY_ROOT, consistencyRanges, inclusionRanges, leafHash, nodeHash, rootOfLeafHashes, splitPoint } from '../merkle/merkle';

/** Complete subtrees of 2^(k·STRIDE) leaves are stored; the others are folded from those below. */
const STRIDE = 4;
// Serialises writers across processes: the leaf index is the position in the one all-stream.
const TREE_LOCK = `SELECT pg_advisory_xact_lock(hashtextextended('audit.tree', 0))`;

/** A complete subtree on the tree's right edge: `level` 0 is one leaf. */
interface Peak {
  readonly level: number;
  readonly hash: Hash;
}

const isPowerOfTwo = (n: number) => n > 0 && Number.isInteger(Math.log2(n));
const log2 = (n: number) => Math.round(Math.log2(n));

/** The leaf of an event: its chain hash, which covers its stream, revision, content and envelope. */
export const leafOfEvent = (event: Pick<RecordedEvent, 'hash'>): Hash => leafHash(Buffer.from(event.hash, 'hex'));

/**
 * Appends `leaves` to the peaks of a tree (its complete subtrees on the right edge, largest
 * first), returning the new peaks and the stored nodes that became complete on the way.
 */
export function appendToPeaks(
  peaks: readonly Peak[],
  size: number,
  leaves: readonly Hash[],
): { peaks: Peak[]; nodes: { level: number; index: number; hash: Hash }[] } {
  const next = [...peaks];
  const nodes: { level: number; index: number; hash: Hash }[] = [];
  leaves.forEach((leaf, offset) => {
    let peak: Peak = { level: 0, hash: leaf };
    const end = size + offset + 1;
    while (next.length > 0 && next[next.length - 1].level === peak.level) {
      const left = next.pop() as Peak;
      peak = { level: peak.level + 1, hash: nodeHash(left.hash, peak.hash) };
      if (peak.level % STRIDE === 0) nodes.push({ level: peak.level, index: end / 2 ** peak.level - 1, hash: peak.hash });
    }
    next.push(peak);
  });
  return { peaks: next, nodes };
}

/** MTH of a tree from its peaks (RFC 6962 folds the right edge from the smallest subtree up). */
export function rootOfPeaks(peaks: readonly Peak[]): Hash {
  if (peaks.length === 0) return EMPTY_ROOT;
  let root = peaks[peaks.length - 1].hash;
  for (let i = peaks.length - 2; i >= 0; i--) root = nodeHash(peaks[i].hash, root);
  return root;
}

interface Tree {
  readonly peaks: readonly Peak[];
  readonly size: number;
  /** All-stream checkpoint of the last leaf. */
  readonly last: Checkpoint;
}

export interface InclusionProof {
  readonly leafIndex: number;
  readonly treeSize: number;
  readonly leafHash: Hash;
  readonly path: Hash[];
}

/**
 * The Merkle tree of RFC 6962 over the all-stream, in PostgreSQL: leaf i is the i-th event in
 * commit order. One writer at a time (an advisory lock) appends; any number read proofs.
 */
export class MerkleLog {
  /** The tree as this writer last committed or loaded it. */
  private tree: Tree = { peaks: [], size: 0, last: START };

  constructor(private readonly pool: Pool) {}

  /** Leaves held, and the all-stream checkpoint of the last one (where to resume following the store). */
  async position(db: Pool | PoolClient = this.pool): Promise<{ treeSize: number; checkpoint: Checkpoint }> {
    const { rows } = await db.query<{ leaf_index: string; checkpoint: Checkpoint }>(
      'SELECT leaf_index, checkpoint FROM audit.tree_leaves ORDER BY leaf_index DESC LIMIT 1',
    );
    return rows.length === 0 ? { treeSize: 0, checkpoint: START } : { treeSize: Number(rows[0].leaf_index) + 1, checkpoint: rows[0].checkpoint };
  }

  /**
   * Appends events in all-stream order, skipping those already in the tree (a replay after a
   * crash, or another replica that got there first). Returns the tree size after.
   */
  async append(events: readonly RecordedEvent[]): Promise<number> {
    const next = await transaction(this.pool, async (client) => {
      await client.query(TREE_LOCK);
      const { treeSize, checkpoint } = await this.position(client);
      const tree = treeSize === this.tree.size && checkpoint === this.tree.last ? this.tree : await this.loadTree(client, treeSize, checkpoint);
      // Checkpoints of one store compare as strings in all-stream order.
      const fresh = events.filter((event) => event.checkpoint > tree.last);
      if (fresh.length === 0) return tree;
      const leaves = fresh.map(leafOfEvent);
      const { peaks, nodes } = appendToPeaks(tree.peaks, tree.size, leaves);
      await client.query(
        `INSERT INTO audit.tree_leaves (leaf_index, global_position, checkpoint, leaf_hash)
         SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::bytea[])`,
        [fresh.map((_, i) => tree.size + i), fresh.map((event) => event.globalPosition), fresh.map((event) => event.checkpoint), leaves],
      );
      if (nodes.length > 0) {
        await client.query(
          'INSERT INTO audit.tree_nodes (level, node_index, hash) SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])',
          [nodes.map((node) => node.level), nodes.map((node) => node.index), nodes.map((node) => node.hash)],
        );
      }
      return { peaks, size: tree.size + fresh.length, last: fresh[fresh.length - 1].checkpoint };
    });
    // Kept only once committed: after a failure the next call finds the stored size differs and reloads.
    this.tree = next;
    return next.size;
  }

  /** MTH of the first `treeSize` leaves. */
  async root(treeSize: number): Promise<Hash> {
    return treeSize === 0 ? EMPTY_ROOT : this.rangeHash(this.pool, { start: 0, size: treeSize });
  }

  /** The leaf index of the event at `globalPosition`, or null if the tree does not hold it yet. */
  async leafIndexOf(globalPosition: number): Promise<number | null> {
    const { rows } = await this.pool.query<{ leaf_index: string }>('SELECT leaf_index FROM audit.tree_leaves WHERE global_position = $1', [
      globalPosition,
    ]);
    return rows.length === 0 ? null : Number(rows[0].leaf_index);
  }

  async inclusionProof(leafIndex: number, treeSize: number): Promise<InclusionProof> {
    const ranges = inclusionRanges(leafIndex, treeSize);
    return {
      leafIndex,
      treeSize,
      leafHash: await this.rangeHash(this.pool, { start: leafIndex, size: 1 }),
      path: await this.hashes(ranges),
    };
  }

  async consistencyProof(first: number, second: number): Promise<Hash[]> {
    return this.hashes(consistencyRanges(first, second));
  }

  private async hashes(ranges: readonly Range[]): Promise<Hash[]> {
    const hashes: Hash[] = [];
    for (const range of ranges) hashes.push(await this.rangeHash(this.pool, range));
    return hashes;
  }

  /** The peaks of a tree of `treeSize` leaves: one complete subtree per bit of the size, largest first. */
  private async loadTree(client: PoolClient, treeSize: number, last: Checkpoint): Promise<Tree> {
    const peaks: Peak[] = [];
    let start = 0;
    for (let level = treeSize === 0 ? -1 : Math.floor(Math.log2(treeSize)); level >= 0; level--) {
      const size = 2 ** level;
      if (Math.floor(treeSize / size) % 2 === 0) continue;
      peaks.push({ level, hash: await this.rangeHash(client, { start, size }) });
      start += size;
    }
    return { peaks, size: treeSize, last };
  }

  /** MTH of leaves `[start, start + size)`, from the stored nodes and leaves. */
  private async rangeHash(db: Pool | PoolClient, { start, size }: Range): Promise<Hash> {
    if (!isPowerOfTwo(size) || start % size !== 0) {
      const k = splitPoint(size);
      return nodeHash(await this.rangeHash(db, { start, size: k }), await this.rangeHash(db, { start: start + k, size: size - k }));
    }
    const level = log2(size);
    const stored = level - (level % STRIDE);
    const count = 2 ** (level - stored);
    const first = start / 2 ** stored;
    const { rows } =
      stored === 0
        ? await db.query<{ hash: Hash }>(
            'SELECT leaf_hash AS hash FROM audit.tree_leaves WHERE leaf_index >= $1 AND leaf_index < $2 ORDER BY leaf_index',
            [first, first + count],
          )
        : await db.query<{ hash: Hash }>(
            'SELECT hash FROM audit.tree_nodes WHERE level = $1 AND node_index >= $2 AND node_index < $3 ORDER BY node_index',
            [stored, first, first + count],
          );
    if (rows.length !== count) throw new RangeError(`the tree holds no complete subtree [${start}, ${start + size})`);
    return rootOfLeafHashes(rows.map((row) => row.hash));
  }
}
