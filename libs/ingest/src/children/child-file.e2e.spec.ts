import { randomUUID } from 'node:crypto';
import { AccessLog } from '@lbc/personal-data';
import { childEvent, childRegistered } from '../testing/events';
import type { IngestTestApp } from '../testing/ingest-test-app';
import { SCHOOL_A, SCHOOL_B, startIngestTestApp } from '../testing/ingest-test-app';

describe('GET /api/v1/children/:childId and the web forms', () => {
  let t: IngestTestApp;
  let staffA: string;
  let staffB: string;
  beforeAll(async () => {
    t = await startIngestTestApp();
    staffA = await t.token('staff.a');
    staffB = await t.token('staff.b');
  });
  afterAll(() => t.close());

  const as = (token: string) => ({
    get: (path: string) => t.http.get(path).set('authorization', `Bearer ${token}`),
    post: (path: string, body: object) => t.http.post(path).set('authorization', `Bearer ${token}`).send(body),
  });

  it('builds the same events from forms, with ids generated or given, and idempotent on eventId', async () => {
    const registered = await as(staffA)
      .post('/api/v1/children', {
        grade: 3,
        className: '3(1)班',
        gender: 'male',
        birthMonth: '2016-02',
        category: 'left-behind',
        parentsAway: 'father',
        guardianType: 'grandparent',
        personal: { name: '赵小军', guardian: { name: '赵奶奶', relation: '祖母', phone: '13900000000' } },
      })
      .expect(201);
    const childId = registered.body.childId as string;
    expect(registered.body).toMatchObject({ status: 'accepted', childId: expect.any(String), eventId: expect.any(String) });
    const eventId = randomUUID();
    const talk = { eventId, occurredAt: '2025-03-12T16:00:00+08:00', kind: 'talk', minutes: 25, personal: { notes: '想念爸爸' } };
    const recorded = await as(staffA).post(`/api/v1/children/${childId}/activities`, talk).expect(201);
    expect(recorded.body).toMatchObject({ eventId, status: 'accepted', activityId: expect.any(String) });
    await as(staffA).post(`/api/v1/children/${childId}/activities`, { ...talk, activityId: recorded.body.activityId }).expect(200);
    await as(staffA).post(`/api/v1/children/${childId}/activities/${recorded.body.activityId}/void`, { reason: '重复录入' }).expect(201);
    const refused = await as(staffA).post(`/api/v1/children/${childId}/activities/${recorded.body.activityId}/void`, { reason: 'again' }).expect(422);
    expect(refused.body).toMatchObject({ code: 'already-voided', field: 'activityId' });
    const invalid = await as(staffA).post(`/api/v1/children/${childId}/archive`, { grade: 13 }).expect(400);
    expect(invalid.body).toMatchObject({ code: 'invalid-value', field: 'grade' });
    expect((await as(staffA).post(`/api/v1/children/${childId}/archive`, { grade: 4, color: 'red' }).expect(400)).body).toMatchObject({ code: 'unknown-field', field: 'color' });
    const types = (await t.store.readStream(`child-${childId}`)).map((event) => event.type);
    expect(types).toEqual(['ChildRegistered', 'CareActivityRecorded', 'CareActivityVoided']);
  });

  it('opens personal data for the school, never for county roles or auditors', async () => {
    const childId = randomUUID();
    await as(staffA).post('/api/v1/events', childRegistered(childId, SCHOOL_A)).expect(201);
    await as(staffA).post('/api/v1/events', childEvent('CareActivityRecorded', childId, { activityId: 'n1', kind: 'home-visit', personal: { notes: '家中无人' } })).expect(201);
    const file = await as(staffA).get(`/api/v1/children/${childId}`).expect(200);
    expect(file.body).toMatchObject({ access: 'current-school', personal: { name: '王小花', guardian: { phone: '13800000000' } }, file: { grade: 4, schoolId: SCHOOL_A } });
    expect(file.body.history[1].data.personal).toEqual({ notes: '家中无人' });

    await as(await t.token('county.edu')).get(`/api/v1/children/${childId}`).expect(403);
    const audit = await as(await t.token('auditor')).get(`/api/v1/children/${childId}`).expect(200);
    expect(audit.body.access).toBe('audit');
    expect(JSON.stringify(audit.body)).not.toMatch(/王小花|13800000000|家中无人/);
    expect(audit.body.history).toHaveLength(2);

    expect((await as(staffB).get(`/api/v1/children/${childId}`).expect(404)).body).toMatchObject({ code: 'unknown-child' });
    await as(staffA).get(`/api/v1/children/${randomUUID()}`).expect(404);
  });

  it('records each read of personal data in the access log before the file leaves, and nothing for a file without any', async () => {
    const childId = randomUUID();
    await as(staffA).post('/api/v1/events', childRegistered(childId, SCHOOL_A)).expect(201);
    const read = await as(staffA).get(`/api/v1/children/${childId}`).expect(200);
    const log = new AccessLog(t.pool);
    const [entry] = await log.list({ limit: 1 });
    expect(entry).toMatchObject({
      subject: `child-${childId}`,
      role: 'school_staff',
      fields: ['guardian', 'homeAddress', 'name'],
      reason: 'the school’s care work',
      requestId: read.headers['x-request-id'],
    });
    // An auditor's file holds no personal data: no entry.
    await as(await t.token('auditor')).get(`/api/v1/children/${childId}`).expect(200);
    expect((await log.list({ limit: 1 }))[0].seq).toBe(entry.seq);
  });

  it('after a transfer the new school writes and the old one reads only what it wrote', async () => {
    const childId = randomUUID();
    await as(staffA).post('/api/v1/events', childRegistered(childId, SCHOOL_A)).expect(201);
    await as(staffA).post(`/api/v1/children/${childId}/enrollment-changes`, { occurredAt: '2025-04-01', change: 'transferred-out', schoolId: SCHOOL_A, otherSchoolId: SCHOOL_B }).expect(201);
    expect((await as(staffB).post(`/api/v1/children/${childId}/activities`, { kind: 'talk' }).expect(403)).body.code).toBe('forbidden');
    await as(staffB).post(`/api/v1/children/${childId}/enrollment-changes`, { occurredAt: '2025-04-03', change: 'transferred-in', schoolId: SCHOOL_B, otherSchoolId: SCHOOL_A }).expect(201);
    await as(staffB).post(`/api/v1/children/${childId}/activities`, { occurredAt: '2025-04-05T10:00:00+08:00', kind: 'talk', personal: { notes: '适应新学校' } }).expect(201);
    expect((await as(staffA).post(`/api/v1/children/${childId}/activities`, { kind: 'talk' }).expect(403)).body.code).toBe('forbidden');

    const newSchool = await as(staffB).get(`/api/v1/children/${childId}`).expect(200);
    expect(newSchool.body).toMatchObject({ access: 'current-school', file: { schoolId: SCHOOL_B } });
    expect(newSchool.body.history).toHaveLength(4);
    const oldSchool = await as(staffA).get(`/api/v1/children/${childId}`).expect(200);
    expect(oldSchool.body.access).toBe('former-school');
    expect(oldSchool.body.history.map((e: { type: string }) => e.type)).toEqual(['ChildRegistered', 'EnrollmentChanged']);
    expect(JSON.stringify(oldSchool.body)).not.toContain('适应新学校');
  });

  it('after erasure the file keeps its skeleton and its personal data is gone', async () => {
    const childId = randomUUID();
    await as(staffA).post('/api/v1/events', childRegistered(childId, SCHOOL_A)).expect(201);
    await as(staffA).post(`/api/v1/children/${childId}/erasure`, { reason: '监护人申请' }).expect(201);
    const file = await as(staffA).get(`/api/v1/children/${childId}`).expect(200);
    expect(file.body).toMatchObject({ personal: null, file: { erased: true, grade: 4 } });
    expect(JSON.stringify(file.body)).not.toContain('王小花');
    const archive = await as(staffA).post(`/api/v1/children/${childId}/archive`, { personal: { name: '新名字' } }).expect(422);
    expect(archive.body.code).toBe('closed-file');
  });

  it('publishes a complete OpenAPI document', async () => {
    const { body } = await t.http.get('/api/docs-json').expect(200);
    const paths = Object.keys(body.paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/auth/login',
        '/api/v1/events',
        '/api/v1/children/{childId}',
        '/api/v1/children',
        '/api/v1/children/{childId}/pairings',
        '/api/v1/children/{childId}/incidents/{incidentId}/notifications',
        '/api/v1/schools/{schoolId}/roster',
        '/api/v1/carers',
        '/health',
      ]),
    );
    expect(body.paths['/api/v1/children'].post.requestBody.content['application/json'].schema.properties).toHaveProperty('birthMonth');
    expect(Object.keys(body.components.schemas)).toEqual(expect.arrayContaining(['LoginResponse', 'SubmittedEventDto', 'EventResultDto', 'ChildFileView']));
    await t.http.get('/api/docs').expect(200);
  });
});
