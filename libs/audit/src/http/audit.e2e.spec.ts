import { generateKeyPairSync, randomUUID } from 'node:crypto';
import type { IngestTestApp } from '@lbc/ingest/testing';
import { COUNTY, PASSWORD, SCHOOL_A, SCHOOL_B, carerRegistered, childEvent, childRegistered, startIngestTestApp } from '@lbc/ingest/testing';
import { pdfText } from '@lbc/testing';
import type { IngestDependencies } from '@lbc/ingest';
import { leafHash, verifyConsistency, verifyInclusion } from '../merkle/merkle';
import { openTreeHead } from '../merkle/signed-tree-head';
import { migrateAudit } from '../tree/audit.migrations';
import { MerkleLog } from '../tree/merkle-log';
import { AuditModule } from './audit.module';

const MARKER = `标记${randomUUID().slice(0, 8)}`;
const CHILD = randomUUID();
const CARER = randomUUID();
const ACTIVITY = randomUUID();
const key = { name: 'lbc.test', privateKey: generateKeyPairSync('ed25519').privateKey };

describe('the auditors’ API', () => {
  let t: IngestTestApp;
  let deps: IngestDependencies;
  const tokens = new Map<string, string>();
  const bearer = (username: string) => `Bearer ${tokens.get(username)}`;
  const post = (username: string, event: object) => t.http.post('/api/v1/events').set('authorization', bearer(username)).send(event).expect(201);
  const buildTree = async () => new MerkleLog(deps.pool).append(await t.allEvents());
  const history = (username: string, query: Record<string, string>, streamId = `child-${CHILD}`) =>
    t.http.get(`/api/v1/audit/streams/${streamId}`).query(query).set('authorization', bearer(username));

  // supertest buffers only text and JSON by itself.
  const asFile = (test: ReturnType<typeof history>) =>
    test.buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });

  beforeAll(async () => {
    t = await startIngestTestApp(
      {},
      {
        mount: (given) => {
          deps = given;
          return [AuditModule.forRoot({ eventStore: given.eventStore, vault: given.vault, auditPool: given.pool, treeHeadKey: key })];
        },
      },
    );
    await migrateAudit(deps.databaseUrl);
    await t.accounts.createUser({ username: 'auditor.other', password: PASSWORD, role: 'auditor', countyId: 'another-county' });
    for (const username of ['admin', 'staff.a', 'staff.b', 'county.edu', 'auditor', 'auditor.other']) tokens.set(username, await t.token(username));
    await post('staff.a', carerRegistered(CARER, SCHOOL_A));
    await post('staff.a', childRegistered(CHILD, SCHOOL_A, { personal: { name: MARKER, guardian: { name: '王大爷', relation: '祖父', phone: '13800000000' } } }));
    await post('staff.a', childEvent('CareActivityRecorded', CHILD, { activityId: ACTIVITY, kind: 'home-visit', carerId: CARER, minutes: 40, personal: { notes: '家访：祖父身体尚可' } }));
    await post('staff.a', childEvent('CareActivityVoided', CHILD, { activityId: ACTIVITY, reason: '重复录入' }, '2025-03-11T10:00:00+08:00'));
  });
  afterAll(() => t.close());

  it('opens a child’s history for an auditor who states a reason, and records the read first', async () => {
    const response = await history('auditor', { reason: '2026年度专项审计' }).expect(200);
    expect(response.body.chain).toEqual({ ok: true });
    expect(response.body.openedFields).toEqual(['guardian', 'name', 'notes']);
    const [registered, recorded, voided] = response.body.events;
    expect(registered).toMatchObject({ type: 'ChildRegistered', revision: 0, schoolId: SCHOOL_A, countyId: COUNTY, data: { personal: { name: MARKER } } });
    expect(registered.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(recorded.referredBy).toEqual([{ eventId: voided.eventId, relation: 'voids' }]);
    expect(voided.refersTo).toEqual({ eventId: recorded.eventId, relation: 'voids' });

    const log = await t.http.get('/api/v1/audit/access-log').set('authorization', bearer('auditor')).expect(200);
    expect(log.body.entries[0]).toMatchObject({ subject: `child-${CHILD}`, role: 'auditor', fields: ['guardian', 'name', 'notes'], reason: '2026年度专项审计', countyId: COUNTY });
    expect(log.body.entries[0].requestId).toBe(response.headers['x-request-id']);
  });

  it('opens nothing without a reason, outside the auditor’s county, or for other roles', async () => {
    const before = (await t.http.get('/api/v1/audit/access-log').set('authorization', bearer('admin')).expect(200)).body.entries.length;
    expect((await history('auditor', {}).expect(400)).body).toMatchObject({ code: 'missing-field', field: 'query.reason' });
    expect((await history('auditor', { reason: ' ' }).expect(400)).body).toMatchObject({ field: 'query.reason' });
    expect((await history('auditor', { reason: 'x\u0000y audit' }).expect(400)).body).toMatchObject({ field: 'query.reason' });
    expect((await history('auditor.other', { reason: 'curiosity' }).expect(404)).body).toMatchObject({ code: 'unknown-stream' });
    for (const role of ['staff.a', 'county.edu']) expect((await history(role, { reason: 'curiosity' }).expect(403)).body.code).toBe('forbidden');
    expect((await history('auditor', { reason: 'audit', from: '2025-04-01', to: '2025-03-01' }).expect(422)).body).toMatchObject({ field: 'query.from' });
    expect((await history('auditor', { reason: 'audit', colour: 'red' }).expect(400)).body).toMatchObject({ code: 'unknown-field', field: 'query.colour' });
    expect((await history('auditor', { reason: 'audit' }, 'child-').expect(400)).body).toMatchObject({ field: 'streamId' });
    expect((await t.http.get('/api/v1/audit/access-log').set('authorization', bearer('staff.a')).expect(403)).body.code).toBe('forbidden');
    const after = (await t.http.get('/api/v1/audit/access-log').set('authorization', bearer('admin')).expect(200)).body.entries.length;
    expect(after).toBe(before);
    // The other county's auditor sees none of this county's reads.
    expect((await t.http.get('/api/v1/audit/access-log').set('authorization', bearer('auditor.other')).expect(200)).body.entries).toEqual([]);
  });

  it('filters by type and period, still checking the whole chain', async () => {
    const response = await history('auditor', { reason: 'check voids', type: 'CareActivityVoided' }).expect(200);
    expect(response.body.events.map((event: { type: string }) => event.type)).toEqual(['CareActivityVoided']);
    expect(response.body.openedFields).toEqual([]);
    const early = await history('auditor', { reason: 'registration', to: '2025-03-01' }).expect(200);
    expect(early.body.events.map((event: { revision: number }) => event.revision)).toEqual([0]);
  });

  it('filters a transferred child’s history by the school that recorded each event', async () => {
    const moved = randomUUID();
    await post('staff.a', childRegistered(moved, SCHOOL_A));
    await post('staff.a', childEvent('EnrollmentChanged', moved, { change: 'transferred-out', schoolId: SCHOOL_A, otherSchoolId: SCHOOL_B }, '2025-03-12T10:00:00+08:00'));
    await post('staff.b', childEvent('EnrollmentChanged', moved, { change: 'transferred-in', schoolId: SCHOOL_B, otherSchoolId: SCHOOL_A }, '2025-03-13T10:00:00+08:00'));
    const atSchool = async (schoolId: string) =>
      (await history('auditor', { reason: '转学核查', schoolId }, `child-${moved}`).expect(200)).body.events.map((event: { revision: number; schoolId: string }) => [event.revision, event.schoolId]);
    expect(await atSchool(SCHOOL_A)).toEqual([
      [0, SCHOOL_A],
      [1, SCHOOL_A],
    ]);
    expect(await atSchool(SCHOOL_B)).toEqual([[2, SCHOOL_B]]);
    expect((await history('auditor', { reason: '转学核查', schoolId: 'not an id' }, `child-${moved}`).expect(400)).body.field).toBe('query.schoolId');
  });

  it('opens a carer’s history with its personal data for a stated reason, and a school’s, which has none', async () => {
    const carer = await history('auditor', { reason: '帮扶人资格核查' }, `carer-${CARER}`).expect(200);
    expect(carer.body).toMatchObject({ streamId: `carer-${CARER}`, chain: { ok: true }, openedFields: ['name'], personalErased: false });
    expect(carer.body.events).toMatchObject([{ type: 'CarerRegistered', revision: 0, recordedBy: expect.any(String), data: { personal: { name: '李老师' } } }]);
    const school = await history('auditor', { reason: '学校档案核查' }, `school-${SCHOOL_A}`).expect(200);
    expect(school.body).toMatchObject({ streamId: `school-${SCHOOL_A}`, chain: { ok: true }, openedFields: [] });
    expect(school.body.events[0]).toMatchObject({ type: 'SchoolRegistered', revision: 0, schoolId: SCHOOL_A, countyId: COUNTY });

    const { entries } = (await t.http.get('/api/v1/audit/access-log').set('authorization', bearer('auditor')).expect(200)).body;
    expect(entries.filter((entry: { requestId: string }) => [carer.headers['x-request-id'], school.headers['x-request-id']].includes(entry.requestId))).toEqual([
      expect.objectContaining({ subject: `carer-${CARER}`, role: 'auditor', fields: ['name'], reason: '帮扶人资格核查' }),
    ]);
  });

  it('prints the history as a PDF whose text is the history, in Chinese', async () => {
    const response = await asFile(history('auditor', { reason: '打印归档', format: 'pdf' })).expect(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    const text = await pdfText(response.body as Buffer);
    for (const expected of [MARKER, '关爱活动', '活动作废', '打印归档', '家访：祖父身体尚可', '哈希链校验']) expect(text).toContain(expected);
  });

  it('signs tree heads whose proofs verify with the published key', async () => {
    await buildTree();
    const admin = bearer('auditor');
    const first = (await t.http.post('/api/v1/audit/tree-heads').set('authorization', admin).expect(201)).body;
    await post('staff.a', childEvent('RiskFlagged', CHILD, { flag: 'health' }, '2025-03-12T10:00:00+08:00'));
    await buildTree();
    const second = (await t.http.post('/api/v1/audit/tree-heads').set('authorization', admin).expect(201)).body;
    const list = (await t.http.get('/api/v1/audit/tree-heads').set('authorization', admin).expect(200)).body;
    expect(list.treeHeads.map((head: { id: number }) => head.id)).toEqual([second.id, first.id]);
    for (const head of list.treeHeads) expect(openTreeHead(head.note, list.verifierKey)).toMatchObject({ ok: true });

    const proof = (await t.http.get('/api/v1/audit/proofs/inclusion').query({ streamId: `child-${CHILD}`, revision: '0', treeSize: String(first.treeSize) }).set('authorization', admin).expect(200)).body;
    const b64 = (text: string) => Buffer.from(text, 'base64');
    expect(b64(proof.leafHash)).toEqual(leafHash(Buffer.from(proof.eventHash, 'hex')));
    expect(proof.rootHash).toBe(first.rootHash);
    expect(verifyInclusion(proof.leafIndex, proof.treeSize, b64(proof.leafHash), proof.path.map(b64), b64(first.rootHash))).toBe(true);
    // The same proof does not pass for the newer head, nor for another event.
    expect(verifyInclusion(proof.leafIndex, second.treeSize, b64(proof.leafHash), proof.path.map(b64), b64(second.rootHash))).toBe(false);

    const consistency = (await t.http.get('/api/v1/audit/proofs/consistency').query({ first: String(first.treeSize), second: String(second.treeSize) }).set('authorization', admin).expect(200)).body;
    expect(verifyConsistency(first.treeSize, second.treeSize, b64(first.rootHash), b64(second.rootHash), consistency.path.map(b64))).toBe(true);

    expect((await t.http.get('/api/v1/audit/proofs/inclusion').query({ streamId: `child-${CHILD}`, revision: '0' }).set('authorization', bearer('auditor.other')).expect(404)).body.code).toBe('unknown-event');
    expect((await t.http.get('/api/v1/audit/proofs/inclusion').query({ streamId: `child-${CHILD}`, revision: '0', treeSize: '999999' }).set('authorization', admin).expect(422)).body.code).toBe('beyond-tree');
    expect((await t.http.get('/api/v1/audit/proofs/consistency').query({ first: '3', second: '2' }).set('authorization', admin).expect(422)).body.field).toBe('query.first');
    expect((await t.http.post('/api/v1/audit/tree-heads').set('authorization', bearer('county.edu')).expect(403)).body.code).toBe('forbidden');
  });

  it('verifies the whole record over HTTP, with a head kept outside', async () => {
    const heads = (await t.http.get('/api/v1/audit/tree-heads').set('authorization', bearer('auditor')).expect(200)).body;
    const report = (await t.http.post('/api/v1/audit/verify').set('authorization', bearer('auditor')).send({ treeHeads: [heads.treeHeads[0].note] }).expect(200)).body;
    expect(report).toMatchObject({ ok: true, findings: [] });
    expect(report.treeHeads).toBe(heads.treeHeads.length + 1);
    expect((await t.http.post('/api/v1/audit/verify').set('authorization', bearer('auditor')).send({ treeHeads: 'x' }).expect(400)).body.field).toBe('body.treeHeads');
  });

  it('shows erased personal data as erased, everywhere, once platform_admin erased it', async () => {
    const before = (await history('auditor', { reason: 'before erasure' }).expect(200)).body.events;
    await post('admin', childEvent('PersonalDataErased', CHILD, { reason: '监护人申请删除' }, '2025-03-20T10:00:00+08:00'));
    const response = await history('auditor', { reason: 'after erasure' }).expect(200);
    // The history and its hashes remain: every event as it was, the erasure after them, the chain whole.
    expect(response.body.chain).toEqual({ ok: true });
    expect(response.body.events.map(({ eventId, hash }: { eventId: string; hash: string }) => ({ eventId, hash }))).toEqual([
      ...before.map(({ eventId, hash }: { eventId: string; hash: string }) => ({ eventId, hash })),
      { eventId: expect.any(String), hash: expect.any(String) },
    ]);
    await buildTree();
    expect((await t.http.post('/api/v1/audit/verify').set('authorization', bearer('auditor')).expect(200)).body).toMatchObject({ ok: true, findings: [] });
    expect(response.body.personalErased).toBe(true);
    expect(response.body.openedFields).toEqual([]);
    expect(response.body.events[0].data.personal).toEqual({ erased: true });
    expect(JSON.stringify(response.body)).not.toContain(MARKER);
    const pdf = await asFile(history('auditor', { reason: 'after erasure', format: 'pdf' })).expect(200);
    const text = await pdfText(pdf.body as Buffer);
    expect(text).toContain('[已删除 erased]');
    expect(text).not.toContain(MARKER);
  });
});
