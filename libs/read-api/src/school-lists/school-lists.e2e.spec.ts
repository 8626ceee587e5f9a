import { randomUUID } from 'node:crypto';
import { AccessLog } from '@lbc/personal-data';
import type { IngestTestApp } from '@lbc/ingest/testing';
import { carerRegistered, childEvent, childRegistered, SCHOOL_A, SCHOOL_B } from '@lbc/ingest/testing';
import { startReadApiTestApp } from '../testing/read-api-test-app';

describe('GET /api/v1/schools/:schoolId/children and /worklist', () => {
  let t: IngestTestApp;
  let staffA: string;
  const [paired, flagged, erased, other] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  const carerId = randomUUID();
  const [idleCarer, retiredCarer, otherCarer] = [randomUUID(), randomUUID(), randomUUID()];

  const as = (token: string) => ({
    get: (path: string) => t.http.get(path).set('authorization', `Bearer ${token}`),
    post: (path: string, body: object) => t.http.post(path).set('authorization', `Bearer ${token}`).send(body),
  });
  const named = (name: string) => ({ personal: { name, guardian: { name: '监护人', relation: '祖母', phone: '13800000000' } } });

  beforeAll(async () => {
    t = await startReadApiTestApp();
    staffA = await t.token('staff.a');
    const events = [
      childRegistered(paired, SCHOOL_A, { grade: 3, className: '3(1)班', ...named('张小明') }),
      childRegistered(flagged, SCHOOL_A, { grade: 4, className: '4(2)班', category: 'orphan', ...named('李小红') }),
      childRegistered(erased, SCHOOL_A, { grade: 5, className: '5(1)班', ...named('王小刚') }),
      carerRegistered(carerId, SCHOOL_A),
      { ...carerRegistered(idleCarer, SCHOOL_A), data: { schoolId: SCHOOL_A, organisation: 'village', role: 'volunteer', partyMember: false, personal: { name: '周阿姨' } } },
      carerRegistered(retiredCarer, SCHOOL_A),
      { eventId: randomUUID(), type: 'CarerRetired', carerId: retiredCarer, occurredAt: '2025-03-01T09:00:00+08:00', data: { reason: '调离' } },
      { eventId: randomUUID(), type: 'CareHomeOpened', schoolId: SCHOOL_A, occurredAt: '2025-02-01T09:00:00+08:00', data: { homeId: 'h-1', name: '中心校之家', facilities: ['books', 'family-phone'] } },
      childEvent('PairingStarted', paired, { pairingId: 'p-1', carerId, role: 'head-teacher' }, '2025-03-05T10:00:00+08:00'),
      childEvent('CareActivityRecorded', paired, { activityId: 'a-1', kind: 'talk', carerId, personal: { notes: '想家' } }, '2025-03-18T16:00:00+08:00'),
      childEvent('RiskFlagged', flagged, { flag: 'psychological' }),
      childEvent('IncidentReported', flagged, { incidentId: 'i-1', kind: 'injury', severity: 'medium' }, '2025-03-19T10:00:00+08:00'),
      childEvent('IncidentPartyNotified', flagged, { incidentId: 'i-1', party: 'guardian' }, '2025-03-19T10:10:00+08:00'),
      childEvent('PersonalDataErased', erased, { reason: 'guardian request' }),
    ];
    await as(staffA).post('/api/v1/events', events).expect(200);
    await as(await t.token('staff.b')).post('/api/v1/events', childRegistered(other, SCHOOL_B, named('赵小花'))).expect(201);
    await as(await t.token('staff.b')).post('/api/v1/events', carerRegistered(otherCarer, SCHOOL_B)).expect(201);
    await t.project();
  });
  afterAll(() => t.close());

  it('lists the school’s children in care with their names, filtered and paged', async () => {
    const all = await as(staffA).get(`/api/v1/schools/${SCHOOL_A}/children`).expect(200);
    expect(all.body).toEqual({
      schoolId: SCHOOL_A,
      asOf: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      items: [
        { childId: paired, name: '张小明', grade: 3, className: '3(1)班', category: 'left-behind', openRiskFlags: [], paired: true },
        { childId: flagged, name: '李小红', grade: 4, className: '4(2)班', category: 'orphan', openRiskFlags: ['psychological'], paired: false },
        { childId: erased, name: null, grade: 5, className: '5(1)班', category: 'left-behind', openRiskFlags: [], paired: false },
      ],
      nextCursor: null,
    });
    const ids = async (query: string) => (await as(staffA).get(`/api/v1/schools/${SCHOOL_A}/children?${query}`).expect(200)).body.items.map((c: { childId: string }) => c.childId);
    expect(await ids('grade=4')).toEqual([flagged]);
    expect(await ids(`className=${encodeURIComponent('3(1)班')}`)).toEqual([paired]);
    expect(await ids('category=left-behind')).toEqual([paired, erased]);
    expect(await ids('risk=any')).toEqual([flagged]);
    expect(await ids('risk=safety')).toEqual([]);

    const first = await as(staffA).get(`/api/v1/schools/${SCHOOL_A}/children?limit=2`).expect(200);
    expect(first.body.items.map((c: { childId: string }) => c.childId)).toEqual([paired, flagged]);
    const rest = await as(staffA).get(`/api/v1/schools/${SCHOOL_A}/children?limit=2&cursor=${first.body.nextCursor}`).expect(200);
    expect(rest.body).toMatchObject({ items: [{ childId: erased }], nextCursor: null });
  });

  it('records every name it opens in the access log, and none for an erased child', async () => {
    const log = new AccessLog(t.pool);
    const [before] = await log.list({ limit: 1 });
    const read = await as(staffA).get(`/api/v1/schools/${SCHOOL_A}/children`).expect(200);
    const entries = await log.list({ limit: 10 });
    const fresh = entries.filter((entry) => entry.seq > (before?.seq ?? -1));
    expect(fresh.map((entry) => entry.subject).sort()).toEqual([`child-${flagged}`, `child-${paired}`].sort());
    for (const entry of fresh) expect(entry).toMatchObject({ role: 'school_staff', fields: ['name'], reason: 'the school’s care work', requestId: read.headers['x-request-id'] });
  });

  it('answers the worklist as of a date: unpaired children, overdue duties, unnotified incidents', async () => {
    const response = await as(staffA).get(`/api/v1/schools/${SCHOOL_A}/worklist?asOf=2025-03-20`).expect(200);
    expect(response.body).toMatchObject({ schoolId: SCHOOL_A, asOf: '2025-03-20', nextCursor: null });
    const [p, f, e] = response.body.items;
    expect(p).toMatchObject({ childId: paired, name: '张小明', paired: true, carers: [{ carerId, role: 'head-teacher' }], unnotifiedIncidents: [] });
    expect(p.overdueDuties).toEqual([
      { duty: 'guardian-contact', lastDoneAt: null },
      { duty: 'home-visit', lastDoneAt: null },
      { duty: 'aid', lastDoneAt: null },
      { duty: 'parent-meeting', lastDoneAt: null },
    ]);
    expect(f).toMatchObject({ childId: flagged, paired: false, carers: [], overdueDuties: [] });
    expect(f.unnotifiedIncidents).toEqual([
      {
        incidentId: 'i-1',
        kind: 'injury',
        severity: 'medium',
        occurredAt: '2025-03-19T10:00:00.000+08:00',
        resolved: false,
        missing: [
          { party: 'parents', deadline: '2025-03-19T11:00:00.000+08:00', deadlinePassed: true },
          { party: 'education-bureau', deadline: '2025-03-19T12:00:00.000+08:00', deadlinePassed: true },
          { party: 'township-government', deadline: '2025-03-19T12:00:00.000+08:00', deadlinePassed: true },
        ],
      },
    ]);
    expect(e).toMatchObject({ childId: erased, name: null, paired: false });
    // A week after the talk it is due again.
    const later = await as(staffA).get(`/api/v1/schools/${SCHOOL_A}/worklist?asOf=2025-03-26&limit=1`).expect(200);
    expect(later.body.items[0].overdueDuties.map((d: { duty: string }) => d.duty)).toEqual(['talk', 'guardian-contact', 'home-visit', 'aid', 'parent-meeting']);
    expect(later.body.nextCursor).toEqual(expect.any(String));
  });

  it('lists the school’s carers not retired, with names and their paired children, and its care homes, for the forms to pick from', async () => {
    const log = new AccessLog(t.pool);
    const [before] = await log.list({ limit: 1 });
    const carers = await as(staffA).get(`/api/v1/schools/${SCHOOL_A}/carers`).expect(200);
    expect(carers.body).toEqual({
      schoolId: SCHOOL_A,
      asOf: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      items: [
        { carerId, name: '李老师', organisation: 'school', role: 'head-teacher', partyMember: true, pairedChildren: 1 },
        { carerId: idleCarer, name: '周阿姨', organisation: 'village', role: 'volunteer', partyMember: false, pairedChildren: 0 },
      ].sort((a, b) => a.carerId.localeCompare(b.carerId)),
      nextCursor: null,
    });
    // Each carer's name opened is in the access log, under the carer's stream.
    const fresh = (await log.list({ limit: 10 })).filter((entry) => entry.seq > (before?.seq ?? -1));
    expect(fresh.map((entry) => entry.subject).sort()).toEqual([`carer-${carerId}`, `carer-${idleCarer}`].sort());
    for (const entry of fresh) expect(entry).toMatchObject({ fields: ['name'], requestId: carers.headers['x-request-id'] });

    const first = await as(staffA).get(`/api/v1/schools/${SCHOOL_A}/carers?limit=1`).expect(200);
    const rest = await as(staffA).get(`/api/v1/schools/${SCHOOL_A}/carers?limit=1&cursor=${first.body.nextCursor}`).expect(200);
    expect([...first.body.items, ...rest.body.items].map((c: { carerId: string }) => c.carerId)).toEqual(carers.body.items.map((c: { carerId: string }) => c.carerId));
    expect(rest.body.nextCursor).toBeNull();

    const homes = await as(staffA).get(`/api/v1/schools/${SCHOOL_A}/care-homes`).expect(200);
    expect(homes.body).toEqual({ schoolId: SCHOOL_A, asOf: expect.any(String), items: [{ homeId: 'h-1', name: '中心校之家', facilities: ['books', 'family-phone'] }], nextCursor: null });

    const audit = await as(await t.token('auditor')).get(`/api/v1/schools/${SCHOOL_A}/carers`).expect(200);
    expect(audit.body.items).toHaveLength(2);
    expect(JSON.stringify(audit.body)).not.toMatch(/李老师|周阿姨|name/);
    for (const path of ['carers', 'care-homes']) {
      expect((await as(await t.token('staff.b')).get(`/api/v1/schools/${SCHOOL_A}/${path}`).expect(403)).body).toMatchObject({ code: 'forbidden', field: 'schoolId' });
      await as(await t.token('county.edu')).get(`/api/v1/schools/${SCHOOL_A}/${path}`).expect(403);
      expect((await as(staffA).get(`/api/v1/schools/${SCHOOL_A}/${path}?cursor=nonsense`).expect(400)).body).toMatchObject({ code: 'invalid-value', field: 'query.cursor' });
      expect((await as(staffA).get(`/api/v1/schools/${SCHOOL_A}/${path}?asOf=2025-03-20`).expect(400)).body).toMatchObject({ code: 'unknown-field', field: 'query.asOf' });
    }
  });

  it('shows events posted later once they are projected', async () => {
    await as(staffA).post(`/api/v1/children/${flagged}/risk-flags/psychological/clear`, { occurredAt: '2025-03-21T10:00:00+08:00' }).expect(201);
    expect((await as(staffA).get(`/api/v1/schools/${SCHOOL_A}/children?risk=any`).expect(200)).body.items).toHaveLength(1);
    await t.project();
    expect((await as(staffA).get(`/api/v1/schools/${SCHOOL_A}/children?risk=any`).expect(200)).body.items).toEqual([]);
  });

  it('gives auditors the lists without names, and refuses other schools and county roles', async () => {
    const auditor = await t.token('auditor');
    for (const path of ['children', 'worklist?asOf=2025-03-20']) {
      const audit = await as(auditor).get(`/api/v1/schools/${SCHOOL_A}/${path}`).expect(200);
      expect(audit.body.items).toHaveLength(3);
      expect(audit.body.items.every((item: object) => !('name' in item))).toBe(true);
      expect(JSON.stringify(audit.body)).not.toMatch(/张小明|李小红/);
    }
    const forbidden = await as(await t.token('staff.b')).get(`/api/v1/schools/${SCHOOL_A}/children`).expect(403);
    expect(forbidden.body).toMatchObject({ code: 'forbidden', field: 'schoolId' });
    expect(JSON.stringify(forbidden.body)).not.toMatch(/张小明/);
    await as(await t.token('staff.b')).get(`/api/v1/schools/${SCHOOL_A}/worklist`).expect(403);
    expect((await as(await t.token('county.edu')).get(`/api/v1/schools/${SCHOOL_A}/children`).expect(403)).body.code).toBe('forbidden');
    await as(await t.token('county.edu')).get(`/api/v1/schools/${SCHOOL_A}/worklist`).expect(403);
    expect((await as(await t.token('admin')).get(`/api/v1/schools/${randomUUID()}/children`).expect(404)).body.code).toBe('unknown-school');
    const admin = await as(await t.token('admin')).get(`/api/v1/schools/${SCHOOL_B}/children`).expect(200);
    expect(admin.body.items).toEqual([expect.objectContaining({ childId: other, name: '赵小花' })]);
    await t.http.get(`/api/v1/schools/${SCHOOL_A}/children`).expect(401);
  });

  it('refuses malformed query parameters, naming them', async () => {
    const refused = async (path: string) => (await as(staffA).get(`/api/v1/schools/${SCHOOL_A}/${path}`).expect(400)).body;
    expect(await refused('children?limit=0')).toMatchObject({ code: 'invalid-value', field: 'query.limit' });
    expect(await refused('children?limit=501')).toMatchObject({ code: 'invalid-value', field: 'query.limit' });
    expect(await refused('children?cursor=nonsense')).toMatchObject({ code: 'invalid-value', field: 'query.cursor' });
    expect(await refused('children?grade=13')).toMatchObject({ code: 'invalid-value', field: 'query.grade' });
    expect(await refused('children?risk=lonely')).toMatchObject({ code: 'invalid-value', field: 'query.risk' });
    expect(await refused('children?asOf=2025-03-20')).toMatchObject({ code: 'unknown-field', field: 'query.asOf' });
    expect(await refused('worklist?asOf=2025-02-30')).toMatchObject({ code: 'invalid-value', field: 'query.asOf' });
    expect(await refused('worklist?asOf=0000-01-01')).toMatchObject({ code: 'invalid-value', field: 'query.asOf' });
    expect(await refused('children?className=4%00')).toMatchObject({ code: 'invalid-value', field: 'query.className' });
    await as(staffA).get(`/api/v1/schools/${SCHOOL_A}/worklist?asOf=1900-01-01`).expect(200);
    const path = await as(staffA).get('/api/v1/schools/a%00b/worklist').expect(400);
    expect(path.body).toMatchObject({ code: 'invalid-value', field: 'schoolId' });
  });

  it('describes the endpoints in the OpenAPI document', async () => {
    const { body } = await t.http.get('/api/docs-json').expect(200);
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/schools/{schoolId}/children', '/api/v1/schools/{schoolId}/worklist', '/api/v1/schools/{schoolId}/carers', '/api/v1/schools/{schoolId}/care-homes']),
    );
    expect(Object.keys(body.components.schemas)).toEqual(
      expect.arrayContaining(['SchoolChildrenPage', 'SchoolChildView', 'SchoolWorklistPage', 'WorklistItemView', 'OverdueDutyView', 'UnnotifiedIncidentView', 'MissingNotificationView', 'PairedCarerView', 'SchoolCarersPage', 'SchoolCarerView', 'SchoolCareHomesPage', 'SchoolCareHomeView']),
    );
    expect(body.components.schemas.OverdueDutyView.properties.duty.enum).toEqual(['talk', 'guardian-contact', 'home-visit', 'aid', 'parent-meeting']);
  });
});
