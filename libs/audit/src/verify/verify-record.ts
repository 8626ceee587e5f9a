import type { Pool } from 'pg';
import type { EventStore, RecordedEvent } from '@lbc/event-store';
import { START, brokenLink } from '@lbc/event-store';
import type { LoggedAccess } from '@lbc/personal-data';
import { AccessLog, brokenAccessLink } from '@lbc/personal-data';
import type { Hash } from '../merkle/merkle';
import { rootOfPeaks } from '../tree/merkle-log';
import { appendToPeaks, leafOfEvent } from '../tree/merkle-log';
import type { TreeHead } from '../merkle/signed-tree-head';
import { openTreeHead } from '../merkle/signed-tree-head';
import type { Finding, VerifyReport } from './verify-report';

export interface VerifyOptions {
  readonly store: EventStore;
  /** The audit schema's database (signed heads and the tree's leaves); without it only the chains are checked. */
  readonly pool?: Pool;
  /** signed-note verifier key of the platform's tree-head key: stored heads are checked against it. */
  readonly verifier?: string;
  /** Signed heads kept outside the platform (notes): the store must still extend each. */
  readonly exportedHeads?: readonly string[];
  readonly batchSize?: number;
  /** Findings kept; counting goes on past them. */
  readonly maxFindings?: number;
}

interface HeadToCheck extends TreeHead {
  readonly label: string;
}

/**
 * Re-checks the record against itself and against what the platform committed to: every
 * stream's hash chain, the Merkle tree's leaves, and the root of every signed head recomputed
 * from the events as they are now. A chain alone can be rewritten with its hashes recomputed, and
 * its tail cut; a signed head cannot be, which is why both are checked.
 */
export async function verifyRecord(options: VerifyOptions): Promise<VerifyReport> {
  const { store, pool, verifier, exportedHeads = [], batchSize = 5_000, maxFindings = 100 } = options;
  const findings: Finding[] = [];
  const found = (finding: Finding) => findings.length < maxFindings && findings.push(finding);

  const heads: HeadToCheck[] = [];
  const openHead = (note: string, label: string) => {
    if (verifier === undefined) {
      found({ kind: 'tree-head', treeHead: label, detail: 'no verifier key to check its signature' });
      return;
    }
    const opened = openTreeHead(note, verifier);
    if (opened.ok) heads.push({ ...opened.head, label });
    else found({ kind: 'tree-head', treeHead: label, detail: opened.reason });
  };
  if (pool) {
    const { rows } = await pool.query<{ id: string; note: string }>('SELECT id, note FROM audit.tree_heads ORDER BY id');
    for (const row of rows) openHead(row.note, `#${row.id}`);
  }
  exportedHeads.forEach((note, i) => openHead(note, `exported ${i + 1}`));
  heads.sort((a, b) => a.treeSize - b.treeSize);

  const lastOf = new Map<string, RecordedEvent>();
  let peaks: ReturnType<typeof appendToPeaks>['peaks'] = [];
  let size = 0;
  let nextHead = 0;
  let treeDiffers = false;
  const checkHeadsAt = (treeSize: number, root: Hash) => {
    while (nextHead < heads.length && heads[nextHead].treeSize === treeSize) {
      const head = heads[nextHead++];
      if (!head.rootHash.equals(root)) {
        found({
          kind: 'tree-head',
          treeHead: head.label,
          detail: `signed at ${head.time} over the first ${head.treeSize} events; their root is now another: events before position ${head.treeSize} were altered, reordered or removed`,
        });
      }
    }
  };
  checkHeadsAt(0, rootOfPeaks([]));

  for (let after = START; ; ) {
    const events = await store.readAll({ after, limit: batchSize });
    if (events.length === 0) break;
    const stored = pool ? await storedLeaves(pool, size, events.length) : null;
    for (const event of events) {
      const previous = lastOf.get(event.streamId);
      const reason = brokenLink(previous, event);
      if (reason !== null) found({ kind: 'chain', streamId: event.streamId, revision: event.revision, position: size, detail: reason });
      else if (!previous && event.revision !== 0) {
        found({ kind: 'chain', streamId: event.streamId, revision: event.revision, position: size, detail: 'the stream does not start at revision 0' });
      }
      lastOf.set(event.streamId, event);
      const leaf = leafOfEvent(event);
      const recorded = stored?.get(size);
      if (!treeDiffers && recorded !== undefined && !recorded.leafHash.equals(leaf)) {
        treeDiffers = true;
        found({
          kind: 'tree',
          streamId: event.streamId,
          revision: event.revision,
          position: size,
          detail:
            recorded.globalPosition === event.globalPosition
              ? 'the event differs from the leaf the Merkle tree recorded for it'
              : `the Merkle tree recorded the event at global position ${recorded.globalPosition} here; the store has this one (global position ${event.globalPosition}) instead`,
        });
      }
      peaks = appendToPeaks(peaks, size, [leaf]).peaks;
      size += 1;
      if (nextHead < heads.length && heads[nextHead].treeSize === size) checkHeadsAt(size, rootOfPeaks(peaks));
    }
    after = events[events.length - 1].checkpoint;
  }
  for (const head of heads.slice(nextHead)) {
    found({
      kind: 'tree-head',
      treeHead: head.label,
      detail: `signed at ${head.time} over ${head.treeSize} events; the store holds only ${size}: events were removed`,
    });
  }
  const accessLogEntries = pool ? await verifyAccessLog(new AccessLog(pool), heads, found) : 0;
  // The most precise first: a broken chain names the altered event itself.
  const order = { chain: 0, tree: 1, 'tree-head': 2, 'access-log': 3 };
  findings.sort((a, b) => order[a.kind] - order[b.kind]);
  return { ok: findings.length === 0, events: size, streams: lastOf.size, treeHeads: heads.length, accessLogEntries, findings };
}

async function storedLeaves(pool: Pool, from: number, count: number): Promise<Map<number, { leafHash: Buffer; globalPosition: number }>> {
  const { rows } = await pool.query<{ leaf_index: string; leaf_hash: Buffer; global_position: string }>(
    'SELECT leaf_index, leaf_hash, global_position FROM audit.tree_leaves WHERE leaf_index >= $1 AND leaf_index < $2',
    [from, from + count],
  );
  return new Map(rows.map((row) => [Number(row.leaf_index), { leafHash: row.leaf_hash, globalPosition: Number(row.global_position) }]));
}

/** The access log's chain, and its head as each signed tree head recorded it. */
async function verifyAccessLog(log: AccessLog, heads: readonly HeadToCheck[], found: (finding: Finding) => void): Promise<number> {
  const signed = new Map<number, HeadToCheck[]>();
  for (const head of heads) if (head.accessLog) signed.set(head.accessLog.entries, [...(signed.get(head.accessLog.entries) ?? []), head]);
  let previous: LoggedAccess | undefined;
  let entries = 0;
  for await (const page of log.all()) {
    for (const entry of page) {
      const reason = brokenAccessLink(previous, entry);
      if (reason !== null) found({ kind: 'access-log', seq: entry.seq, detail: reason });
      previous = entry;
      entries += 1;
      for (const head of signed.get(entry.seq + 1) ?? []) {
        if (head.accessLog?.hash !== entry.hash) {
          found({ kind: 'tree-head', treeHead: head.label, seq: entry.seq, detail: `signed at ${head.time}: the access log's entry ${entry.seq} is now another` });
        }
      }
      signed.delete(entry.seq + 1);
    }
  }
  for (const head of [...signed.values()].flat()) {
    found({
      kind: 'tree-head',
      treeHead: head.label,
      detail: `signed at ${head.time} over ${head.accessLog?.entries} access-log entries; the log holds only ${entries}: entries were removed`,
    });
  }
  return entries;
}
