import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import type { Checkpoint, RecordedEvent } from '@lbc/event-store';
import type { TestDatabase } from '@lbc/testing';
import { createTestDatabase } from '@lbc/testing';
import { rootOfLeafHashes, verifyConsistency, verifyInclusion } from '../merkle/merkle';
import { migrateAudit } from './audit.migrations';
import { MerkleLog, leafOfEvent } from './merkle-log';

// The log reads only an event's hash, position and checkpoint.
const eventAt = (i: number) =>
  ({
    hash: createHash('sha256').update(`event ${i}`).digest('hex'),
    globalPosition: i + 1,
    checkpoint: String(i + 1).padStart(12, '0') as Checkpoint,
  }) as RecordedEvent;
const EVENTS = Array.from({ length: 300 }, (_, i) => eventAt(i));
const LEAVES = EVENTS.map(leafOfEvent);

describe('the Merkle log in PostgreSQL', () => {
  let db: TestDatabase;
  let pool: Pool;

  beforeEach(async () => {
    db = await createTestDatabase();
    await migrateAudit(db.url);
    pool = db.pool();
  });
  afterEach(() => db.drop());

  it('holds the RFC 6962 tree of every prefix, appended in batches of any size, across restarts and replays', async () => {
    let log = new MerkleLog(pool);
    let at = 0;
    for (const batch of [1, 2, 13, 16, 1, 40, 100, 127]) {
      // A replay of the previous batch beside the new one changes nothing.
      await log.append(EVENTS.slice(Math.max(0, at - 5), at + batch));
      at += batch;
      // A restarted writer picks up the tree from the database.
      if (batch % 2 === 0) log = new MerkleLog(pool);
    }
    expect(await log.position()).toEqual({ treeSize: 300, checkpoint: EVENTS[299].checkpoint });
    for (const size of [1, 2, 3, 15, 16, 17, 255, 256, 257, 299, 300]) {
      expect((await log.root(size)).equals(rootOfLeafHashes(LEAVES.slice(0, size)))).toBe(true);
    }
  });

  it('answers inclusion and consistency proofs that the RFC 9162 verifiers accept', async () => {
    const log = new MerkleLog(pool);
    await log.append(EVENTS);
    for (const size of [1, 7, 16, 100, 256, 300]) {
      const root = await log.root(size);
      for (const index of [0, size - 1, Math.floor(size / 3)]) {
        const proof = await log.inclusionProof(index, size);
        expect(proof.leafHash.equals(LEAVES[index])).toBe(true);
        expect(verifyInclusion(index, size, proof.leafHash, proof.path, root)).toBe(true);
      }
      for (const first of [1, Math.ceil(size / 2), size]) {
        expect(verifyConsistency(first, size, await log.root(first), root, await log.consistencyProof(first, size))).toBe(true);
      }
    }
    expect(await log.leafIndexOf(EVENTS[42].globalPosition)).toBe(42);
    expect(await log.leafIndexOf(10_000)).toBeNull();
    await expect(log.root(301)).rejects.toThrow(RangeError);
  });

  it('gives each event one leaf when two replicas follow the store at once', async () => {
    // Each follows the all-stream in order, in batches of its own size.
    const follow = async (log: MerkleLog, batch: number) => {
      for (let at = 0; at < EVENTS.length; at += batch) await log.append(EVENTS.slice(at, at + batch));
    };
    await Promise.all([follow(new MerkleLog(pool), 70), follow(new MerkleLog(pool), 45)]);
    const { rows } = await pool.query<{ n: string; distinct: string }>('SELECT count(*) AS n, count(DISTINCT global_position) AS distinct FROM audit.tree_leaves');
    expect(rows[0]).toEqual({ n: '300', distinct: '300' });
    expect((await new MerkleLog(pool).root(300)).equals(rootOfLeafHashes(LEAVES))).toBe(true);
  });

  it('refuses to change or remove a leaf, node or head', async () => {
    await new MerkleLog(pool).append(EVENTS.slice(0, 20));
    await expect(pool.query('UPDATE audit.tree_leaves SET leaf_hash = leaf_hash WHERE leaf_index = 0')).rejects.toThrow('append-only');
    await expect(pool.query('DELETE FROM audit.tree_nodes')).rejects.toThrow('append-only');
    await expect(pool.query('TRUNCATE audit.tree_leaves')).rejects.toThrow('append-only');
  });
});
