import { randomUUID } from 'node:crypto';
import { childEvent, childRegistered } from '../testing/events';
import type { IngestTestApp } from '../testing/ingest-test-app';
import { COUNTY, PASSWORD, SCHOOL_A, SCHOOL_B, startIngestTestApp } from '../testing/ingest-test-app';

/** A third school of the test county, and a school of a second county. */
const SCHOOL_C = '33333333-3333-4333-8333-333333333333';
const SCHOOL_D = '44444444-4444-4444-8444-444444444444';
const OTHER_COUNTY = 'cangxi';

const CHANGES = ['transferred-out', 'transferred-in', 'dropped-out', 'returned', 'graduated', 'promoted'] as const;
type Change = (typeof CHANGES)[number];

describe('Tenancy: a school never takes over another school’s child; auditors and county roles stay in their county', () => {
  let t: IngestTestApp;
  const staffOf: Record<string, string> = {};

  const as = (token: string) => ({
    get: (path: string) => t.http.get(path).set('authorization', `Bearer ${token}`),
    post: (path: string, body: object) => t.http.post(path).set('authorization', `Bearer ${token}`).send(body),
  });
  const registerSchool = async (schoolId: string, countyId: string) =>
    as(await t.token('admin'))
      .post('/api/v1/events', {
        eventId: randomUUID(),
        type: 'SchoolRegistered',
        schoolId,
        occurredAt: '2024-09-01T08:00:00+08:00',
        data: { name: schoolId.slice(0, 4), countyId, countyName: countyId, townshipId: 't', townshipName: 'T', level: 'primary', boarding: false },
      })
      .expect(201);

  beforeAll(async () => {
    t = await startIngestTestApp();
    await registerSchool(SCHOOL_C, COUNTY);
    await registerSchool(SCHOOL_D, OTHER_COUNTY);
    const users = [
      { username: 'staff.c', role: 'school_staff', schoolId: SCHOOL_C, countyId: COUNTY },
      { username: 'admin.a', role: 'school_admin', schoolId: SCHOOL_A, countyId: COUNTY },
      { username: 'county.league', role: 'county_youth_league', countyId: COUNTY },
      { username: 'staff.d', role: 'school_staff', schoolId: SCHOOL_D, countyId: OTHER_COUNTY },
      { username: 'auditor.cx', role: 'auditor', countyId: OTHER_COUNTY },
    ] as const;
    for (const user of users) await t.accounts.createUser({ ...user, password: PASSWORD });
    for (const [schoolId, username] of [
      [SCHOOL_A, 'staff.a'],
      [SCHOOL_B, 'staff.b'],
      [SCHOOL_C, 'staff.c'],
      [SCHOOL_D, 'staff.d'],
    ]) {
      staffOf[schoolId] = await t.token(username);
    }
  });
  afterAll(() => t.close());

  const change = (childId: string, kind: Change, schoolId: string, otherSchoolId?: string) =>
    childEvent('EnrollmentChanged', childId, { change: kind, schoolId, ...(otherSchoolId ? { otherSchoolId } : {}) }, '2025-04-10T10:00:00+08:00');

  /** Every enrollment change `schoolId` could send about the child, each as itself and naming each other school. */
  const attemptsBy = (childId: string, schoolId: string) =>
    CHANGES.flatMap((kind) =>
      kind === 'transferred-out' || kind === 'transferred-in'
        ? [SCHOOL_A, SCHOOL_B, SCHOOL_C].filter((other) => other !== schoolId).map((other) => change(childId, kind, schoolId, other))
        : [change(childId, kind, schoolId)],
    );

  /** Each attempt is refused 403 forbidden with nothing written, and the school still cannot read the child. */
  async function expectRefused(childId: string, schoolId: string, attempts: object[]) {
    const before = await t.allEvents();
    for (const attempt of attempts) {
      const response = await as(staffOf[schoolId]).post('/api/v1/events', attempt);
      expect([response.status, response.body.code, attempt]).toEqual([403, 'forbidden', attempt]);
    }
    expect(await t.allEvents()).toEqual(before);
    const read = await as(staffOf[schoolId]).get(`/api/v1/children/${childId}`).expect(404);
    expect(read.body.code).toBe('unknown-child');
    expect(JSON.stringify(read.body)).not.toContain('王小花');
  }

  async function childAt(schoolId: string, ...history: object[]): Promise<string> {
    const childId = randomUUID();
    await as(staffOf[schoolId]).post('/api/v1/events', childRegistered(childId, schoolId)).expect(201);
    for (const event of history) await as(staffOf[schoolId]).post('/api/v1/events', { ...event, childId }).expect(201);
    return childId;
  }

  it('a child enrolled at school A: every enrollment change by B and by C is forbidden', async () => {
    const childId = await childAt(SCHOOL_A);
    for (const other of [SCHOOL_B, SCHOOL_C]) await expectRefused(childId, other, attemptsBy(childId, other));
  });

  it('a transfer out of A to B: the transfer in (and every other change) by C is forbidden, and by A too; B’s is accepted', async () => {
    const childId = await childAt(SCHOOL_A, change('', 'transferred-out', SCHOOL_A, SCHOOL_B));
    await expectRefused(childId, SCHOOL_C, attemptsBy(childId, SCHOOL_C));
    const before = await t.allEvents();
    const ownTransferIn = await as(staffOf[SCHOOL_A]).post('/api/v1/events', change(childId, 'transferred-in', SCHOOL_A, SCHOOL_C)).expect(403);
    expect(ownTransferIn.body).toMatchObject({ code: 'forbidden', field: 'childId' });
    expect(await t.allEvents()).toEqual(before);
    // The form says the same: only B.
    const viaForm = await as(staffOf[SCHOOL_C]).post(`/api/v1/children/${childId}/enrollment-changes`, { change: 'transferred-in', otherSchoolId: SCHOOL_A, occurredAt: '2025-04-10' }).expect(403);
    expect(viaForm.body.code).toBe('forbidden');

    await as(staffOf[SCHOOL_B]).post('/api/v1/events', change(childId, 'transferred-in', SCHOOL_B, SCHOOL_A)).expect(201);
    expect((await as(staffOf[SCHOOL_B]).get(`/api/v1/children/${childId}`).expect(200)).body).toMatchObject({ access: 'current-school', file: { schoolId: SCHOOL_B } });
    await as(staffOf[SCHOOL_C]).get(`/api/v1/children/${childId}`).expect(404);
  });

  it('a child who dropped out of A: the return by B or C is forbidden; A’s is accepted', async () => {
    const childId = await childAt(SCHOOL_A, change('', 'dropped-out', SCHOOL_A));
    for (const other of [SCHOOL_B, SCHOOL_C]) await expectRefused(childId, other, attemptsBy(childId, other));
    await as(staffOf[SCHOOL_A]).post('/api/v1/events', change(childId, 'returned', SCHOOL_A)).expect(201);
  });

  it('a child who dropped out of A cannot be returned at C by the platform admin either (422 other-school)', async () => {
    const childId = await childAt(SCHOOL_A, change('', 'dropped-out', SCHOOL_A));
    const before = await t.allEvents();
    const refused = await as(await t.token('admin')).post('/api/v1/events', change(childId, 'returned', SCHOOL_C)).expect(422);
    expect(refused.body).toMatchObject({ code: 'other-school', field: 'data.schoolId' });
    expect(await t.allEvents()).toEqual(before);
  });

  describe('a child of a second county', () => {
    let childId: string;
    beforeAll(async () => {
      childId = await childAt(SCHOOL_D, childEvent('CareActivityRecorded', '', { activityId: 'a1', kind: 'home-visit', personal: { notes: '苍溪家访' } }));
    });

    it('each role of the first county: the file is not found (forbidden for county roles), events and forms are forbidden; its own county’s auditor reads it', async () => {
      const roles = [
        ['school_staff', 'staff.a', 404],
        ['school_admin', 'admin.a', 404],
        ['county_education', 'county.edu', 403],
        ['county_youth_league', 'county.league', 403],
        ['auditor', 'auditor', 404],
      ] as const;
      for (const [role, username, fileStatus] of roles) {
        const token = await t.token(username);
        const before = await t.allEvents();
        const file = await as(token).get(`/api/v1/children/${childId}`);
        expect([role, file.status, file.body.code]).toEqual([role, fileStatus, fileStatus === 404 ? 'unknown-child' : 'forbidden']);
        expect(JSON.stringify(file.body)).not.toMatch(/王小花|苍溪家访|home-visit/);
        const event = await as(token).post('/api/v1/events', childEvent('RiskFlagged', childId, { flag: 'safety' }));
        expect([role, event.status, event.body.code]).toEqual([role, 403, 'forbidden']);
        const form = await as(token).post(`/api/v1/children/${childId}/activities`, { kind: 'talk' });
        expect([role, form.status, form.body.code]).toEqual([role, 403, 'forbidden']);
        expect(await t.allEvents()).toEqual(before);
      }
      const audit = await as(await t.token('auditor.cx')).get(`/api/v1/children/${childId}`).expect(200);
      expect(audit.body).toMatchObject({ access: 'audit', file: { schoolId: SCHOOL_D } });
      expect(audit.body.history).toHaveLength(2);
      expect(JSON.stringify(audit.body)).not.toMatch(/王小花|苍溪家访/);
    });

    it('after a transfer between the counties, each county’s auditor reads only what was recorded in its county', async () => {
      const moving = await childAt(SCHOOL_D, change('', 'transferred-out', SCHOOL_D, SCHOOL_A));
      await as(staffOf[SCHOOL_A]).post('/api/v1/events', change(moving, 'transferred-in', SCHOOL_A, SCHOOL_D)).expect(201);
      const types = async (username: string) =>
        ((await as(await t.token(username)).get(`/api/v1/children/${moving}`).expect(200)).body.history as { type: string; data: { change?: string } }[]).map((e) => e.data.change ?? e.type);
      expect(await types('auditor.cx')).toEqual(['ChildRegistered', 'transferred-out']);
      expect(await types('auditor')).toEqual(['transferred-in']);
    });

    it('a school account registers its school only in its own county', async () => {
      const unregistered = randomUUID();
      await t.accounts.createUser({ username: 'staff.new', password: PASSWORD, role: 'school_staff', schoolId: unregistered, countyId: COUNTY });
      const before = await t.allEvents();
      const refused = await as(await t.token('staff.new'))
        .post('/api/v1/schools', { schoolId: unregistered, name: '新校', countyId: OTHER_COUNTY, countyName: '苍溪县', townshipId: 't', townshipName: 'T', level: 'primary', boarding: false })
        .expect(403);
      expect(refused.body).toMatchObject({ code: 'forbidden', field: 'countyId' });
      expect(await t.allEvents()).toEqual(before);
    });
  });
});
