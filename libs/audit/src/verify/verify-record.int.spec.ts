import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Pool } from 'pg';
import type { EventStore, RecordedEvent } from '@lbc/event-store';
import { GENESIS_HASH, START, createPostgresEventStore, eventHash } from '@lbc/event-store';
import type { TestDatabase } from '@lbc/testing';
import { createTestDatabase, newTestEvent } from '@lbc/testing';
import { AccessLog, migratePersonalData } from '@lbc/personal-data';
import { verifierKey } from '../merkle/signed-tree-head';
import { migrateAudit } from '../tree/audit.migrations';
import { MerkleLog } from '../tree/merkle-log';
import { TreeHeads } from '../tree/tree-heads';
import { verifyRecord } from './verify-record';
import { runVerify } from './verify.cli';

const key = { name: 'lbc.test', privateKey: generateKeyPairSync('ed25519').privateKey };
const verifier = verifierKey(key.name, key.privateKey);

// What a database superuser can do that the runtime role cannot: bypass the append-only trigger.
async function asSuperuser(pool: Pool, sql: string, params: unknown[] = []): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL session_replication_role = replica');
    await client.query(sql, params);
    await client.query('COMMIT');
  } finally {
    client.release();
  }
}

describe('verifying the record against its chains and signed tree heads', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: EventStore;
  let log: MerkleLog;
  let heads: TreeHeads;
  const streams = ['child-a', 'child-b', 'child-c'];

  const readAll = async (): Promise<RecordedEvent[]> => {
    const events: RecordedEvent[] = [];
    for (let after = START; ; ) {
      const page = await store.readAll({ after, limit: 100 });
      if (page.length === 0) return events;
      events.push(...page);
      after = page[page.length - 1].checkpoint;
    }
  };
  const appendRound = async () => {
    for (const streamId of streams) {
      const [head] = (await store.readStream(streamId)).slice(-1);
      await store.append(streamId, [newTestEvent(), newTestEvent()], head ? head.revision : 'no-stream');
    }
  };
  const buildTree = async () => log.append(await readAll());
  const verify = (exportedHeads?: string[]) => verifyRecord({ store, pool, verifier, exportedHeads, batchSize: 7 });

  beforeEach(async () => {
    db = await createTestDatabase();
    store = await createPostgresEventStore({ url: db.url });
    await migrateAudit(db.url);
    await migratePersonalData(db.url);
    pool = db.pool();
    log = new MerkleLog(pool);
    const access = new AccessLog(pool);
    heads = new TreeHeads(pool, log, access, key);
    await appendRound();
    await buildTree();
    await heads.sign();
    for (const reason of ['annual audit 2026', 'complaint 17', 'follow-up']) {
      await access.record({ userId: 'auditor-1', role: 'auditor', countyId: 'county-1', subject: 'child-a', fields: ['name'], reason, requestId: null });
    }
    await appendRound();
    await buildTree();
    await heads.sign();
  });

  afterEach(async () => {
    await store.close();
    await db.drop();
  });

  it('passes an untouched record, every stream, event and head checked', async () => {
    expect(await verify()).toEqual({ ok: true, events: 12, streams: 3, treeHeads: 2, accessLogEntries: 3, findings: [] });
  });

  it('names the stream and revision whose data was altered', async () => {
    await asSuperuser(pool, `UPDATE event_store.events SET data = jsonb_set(data, '{minutes}', '99') WHERE stream_id = 'child-b' AND revision = 2`);
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.findings[0]).toMatchObject({ kind: 'chain', streamId: 'child-b', revision: 2, detail: 'content does not match its hash' });
  });

  it('names where two events of a stream were swapped', async () => {
    for (const [from, to] of [[1, -1], [2, 1], [-1, 2]]) {
      await asSuperuser(pool, `UPDATE event_store.events SET revision = $1 WHERE stream_id = 'child-a' AND revision = $2`, [to, from]);
    }
    const report = await verify();
    // In commit order the moved revision 2 comes first, straight after revision 0.
    expect(report.findings[0]).toMatchObject({ kind: 'chain', streamId: 'child-a', revision: 2, detail: 'follows revision 0' });
  });

  it('names the revision after a deleted event', async () => {
    await asSuperuser(pool, `DELETE FROM event_store.events WHERE stream_id = 'child-c' AND revision = 1`);
    const report = await verify();
    expect(report.findings[0]).toMatchObject({ kind: 'chain', streamId: 'child-c', revision: 2, detail: 'follows revision 0' });
  });

  it('fails a whole stream rewritten with every hash recomputed, which its chain alone would pass', async () => {
    // Rewrite child-b's history consistently, as someone with the code and the database could.
    const original = await store.readStream('child-b');
    let prevHash = GENESIS_HASH;
    for (const event of original) {
      const data = { ...event.data, minutes: 5 };
      const hash = eventHash({ ...event, data, prevHash });
      await asSuperuser(pool, 'UPDATE event_store.events SET data = $1, prev_hash = $2, hash = $3 WHERE stream_id = $4 AND revision = $5', [
        data,
        prevHash,
        hash,
        'child-b',
        event.revision,
      ]);
      prevHash = hash;
    }
    const report = await verify();
    expect(report.findings.filter((finding) => finding.kind === 'chain')).toEqual([]);
    expect(report.findings[0]).toMatchObject({ kind: 'tree', streamId: 'child-b', revision: 0, position: 2 });
    expect(report.findings.filter((finding) => finding.kind === 'tree-head').map((finding) => finding.treeHead)).toEqual(['#1', '#2']);
  });

  it('fails when the all-stream’s tail was cut, which the chains alone would pass', async () => {
    const tail = (await readAll()).slice(-3);
    for (const event of tail) await asSuperuser(pool, 'DELETE FROM event_store.events WHERE event_id = $1', [event.eventId]);
    const report = await verify();
    expect(report.findings.filter((finding) => finding.kind === 'chain')).toEqual([]);
    expect(report.findings).toEqual([
      expect.objectContaining({ kind: 'tree-head', treeHead: '#2', detail: expect.stringContaining('the store holds only 9: events were removed') }),
    ]);
  });

  it('checks a head exported before, also after the platform’s own heads were removed', async () => {
    const [exported] = await heads.list(1);
    await asSuperuser(pool, 'DELETE FROM audit.tree_heads');
    const tail = (await readAll()).slice(-1);
    await asSuperuser(pool, 'DELETE FROM event_store.events WHERE event_id = $1', [tail[0].eventId]);
    const report = await verifyRecord({ store, pool, verifier, exportedHeads: [exported.note] });
    expect(report.treeHeads).toBe(1);
    expect(report.findings).toEqual([expect.objectContaining({ kind: 'tree-head', treeHead: 'exported 1' })]);
    // A forged exported head does not count as one.
    const forged = exported.note.replace(`\n${exported.treeSize}\n`, '\n1\n');
    expect((await verifyRecord({ store, pool, verifier, exportedHeads: [forged] })).findings).toContainEqual(
      expect.objectContaining({ kind: 'tree-head', treeHead: 'exported 1', detail: 'the signature does not match the tree head' }),
    );
  });

  it('proves with npm run verify -- --tree-head FILE that the store still extends a head kept outside, and fails once it does not', async () => {
    const [kept] = await heads.list(1);
    const file = join(mkdtempSync(join(tmpdir(), 'lbc-kept-head-')), 'tree-head.txt');
    writeFileSync(file, kept.note);
    const run = async () => {
      const lines: string[] = [];
      const code = await runVerify(['--tree-head', file], { store, pool, verifier }, { output: (line) => lines.push(line) });
      return { code, lines };
    };
    // Recorded since, with the platform's own heads gone: the kept head alone vouches for the prefix.
    await appendRound();
    await buildTree();
    await asSuperuser(pool, 'DELETE FROM audit.tree_heads');
    expect(await run()).toEqual({ code: 0, lines: [expect.stringContaining('1 signed tree heads'), expect.stringMatching(/^OK/)] });

    // The tail cut back below the kept head: every chain still passes, the kept head does not.
    for (const event of (await readAll()).slice(kept.treeSize - 1)) await asSuperuser(pool, 'DELETE FROM event_store.events WHERE event_id = $1', [event.eventId]);
    const { code, lines } = await run();
    expect(code).toBe(1);
    expect(lines.join('\n')).not.toMatch(/chain at/);
    expect(lines.join('\n')).toMatch(/tree-head: exported 1 .*events were removed|tree head exported 1: .*events were removed/);
    rmSync(dirname(file), { recursive: true, force: true });
  });

  it('fails a stored head whose signature does not verify', async () => {
    await asSuperuser(pool, `UPDATE audit.tree_heads SET note = replace(note, 'lbc.test', 'lbc.forged') WHERE id = 1`);
    expect((await verify()).findings).toEqual([expect.objectContaining({ kind: 'tree-head', treeHead: '#1' })]);
  });

  it('names the access-log entry that was altered or removed', async () => {
    await asSuperuser(pool, `UPDATE personal_data_access_log SET reason = 'nothing to see' WHERE seq = 2`);
    expect((await verify()).findings).toEqual([{ kind: 'access-log', seq: 2, detail: 'content does not match its hash' }]);
    await asSuperuser(pool, `UPDATE personal_data_access_log SET reason = 'nothing to see' WHERE seq = 1`);
    await asSuperuser(pool, 'DELETE FROM personal_data_access_log WHERE seq = 1');
    expect((await verify()).findings).toEqual([{ kind: 'access-log', seq: 2, detail: 'follows entry 0' }]);
  });

  it('fails when the access log’s tail was cut, which its chain alone would pass', async () => {
    await asSuperuser(pool, 'DELETE FROM personal_data_access_log WHERE seq = 2');
    expect((await verify()).findings).toEqual([
      expect.objectContaining({ kind: 'tree-head', treeHead: '#2', detail: expect.stringContaining('the log holds only 2: entries were removed') }),
    ]);
  });
});
