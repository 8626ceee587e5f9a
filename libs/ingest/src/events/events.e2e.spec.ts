import { randomUUID } from 'node:crypto';
import { carerRegistered, childEvent, childRegistered, ndjson } from '../testing/events';
import type { IngestTestApp } from '../testing/ingest-test-app';
import { SCHOOL_A, SCHOOL_B, startIngestTestApp } from '../testing/ingest-test-app';

describe('POST /api/v1/events', () => {
  let t: IngestTestApp;
  let staffA: string;
  let staffB: string;
  beforeAll(async () => {
    t = await startIngestTestApp();
    staffA = await t.token('staff.a');
    staffB = await t.token('staff.b');
  });
  afterAll(() => t.close());

  const post = (token: string, body: string | object, contentType = 'application/json', query = '') =>
    t.http
      .post(`/api/v1/events${query}`)
      .set('authorization', `Bearer ${token}`)
      .set('content-type', contentType)
      .send(typeof body === 'string' ? body : JSON.stringify(body));

  it('accepts one event (201), acknowledges its resend as duplicate (200) and refuses its id with other content (409)', async () => {
    const event = childRegistered(randomUUID(), SCHOOL_A);
    const first = await post(staffA, event).expect(201);
    expect(first.body).toEqual({ eventId: event.eventId, status: 'accepted', globalPosition: expect.any(Number) });
    const before = await t.allEvents();
    const again = await post(staffA, event).expect(200);
    expect(again.body).toEqual({ eventId: event.eventId, status: 'duplicate', globalPosition: first.body.globalPosition });
    const other = await post(staffA, { ...event, data: { ...event.data, grade: 5 } }).expect(409);
    expect(other.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(other.body).toMatchObject({ status: 409, code: 'conflict', field: 'eventId' });
    expect(await t.allEvents()).toHaveLength(before.length);
  });

  it('seals personal data at rest and stores the paths of the personal fields beside it', async () => {
    const event = childRegistered(randomUUID(), SCHOOL_A);
    await post(staffA, event).expect(201);
    const [stored] = await t.store.readStream(`child-${event.childId}`);
    expect(JSON.stringify(stored.data)).not.toContain('王小花');
    expect(stored.data['personalFields']).toEqual(['guardian.name', 'guardian.phone', 'guardian.relation', 'homeAddress', 'name']);
    expect(stored.metadata).toMatchObject({ schoolId: SCHOOL_A, countyId: 'wangcang', correlationId: expect.any(String) });
    expect(await t.vault.open(event.childId, stored.data['personal'])).toMatchObject({ name: '王小花' });
    expect(t.logs.join('')).not.toContain('王小花');
  });

  it('refuses unknown fields, naming them, and writes nothing', async () => {
    const before = await t.allEvents();
    const event = childRegistered(randomUUID(), SCHOOL_A, { nickname: '花花' });
    const response = await post(staffA, event).expect(400);
    expect(response.body).toMatchObject({ code: 'unknown-field', field: 'data.nickname', type: expect.any(String), title: 'Bad Request', detail: expect.any(String) });
    const nested = childRegistered(randomUUID(), SCHOOL_A);
    (nested.data.personal as Record<string, unknown>)['idCard'] = '510821…';
    expect((await post(staffA, nested).expect(400)).body).toMatchObject({ code: 'unknown-field', field: 'data.personal.idCard' });
    expect((await post(staffA, { ...childRegistered(randomUUID(), SCHOOL_A), extra: 1 }).expect(400)).body).toMatchObject({ field: 'extra' });
    expect(await t.allEvents()).toHaveLength(before.length);
  });

  it('answers a batch (JSON array or NDJSON) with one result per event, in order', async () => {
    const childId = randomUUID();
    const registered = childRegistered(childId, SCHOOL_A);
    const talk = childEvent('CareActivityRecorded', childId, { activityId: 'a1', kind: 'talk', minutes: 20 });
    const unknownChild = childEvent('CareActivityRecorded', randomUUID(), { activityId: 'a1', kind: 'talk' });
    const call = childEvent('CareActivityRecorded', childId, { activityId: 'a2', kind: 'family-call' });
    const response = await post(staffA, ndjson([registered, talk, unknownChild, call, talk]), 'application/x-ndjson').expect(422);
    expect(response.body).toMatchObject({ code: 'events-rejected', field: '[2].childId', accepted: 3, duplicate: 1, rejected: 1 });
    expect(response.body.results.map((r: { status: string; reason?: string }) => r.reason ?? r.status)).toEqual([
      'accepted',
      'accepted',
      'unknown-child',
      'accepted',
      'duplicate',
    ]);
    const stream = await t.store.readStream(`child-${childId}`);
    expect(stream.map((e) => e.type)).toEqual(['ChildRegistered', 'CareActivityRecorded', 'CareActivityRecorded']);

    const resent = await post(staffA, [registered, talk, call]).expect(200);
    expect(resent.body).toMatchObject({ accepted: 0, duplicate: 3, rejected: 0 });
  });

  it('?atomic=true writes nothing when one event is rejected, and everything otherwise', async () => {
    const before = await t.allEvents();
    const childId = randomUUID();
    const batch = [childRegistered(childId, SCHOOL_A), childEvent('CareActivityRecorded', childId, { activityId: 'x', kind: 'talk' }), childEvent('RiskCleared', childId, { flag: 'health' })];
    const refused = await post(staffA, batch, 'application/json', '?atomic=true').expect(422);
    expect(refused.body).toMatchObject({ code: 'atomic-batch-rejected', field: '[2].data.flag', accepted: 0, rejected: 3 });
    expect(refused.body.results.map((r: { reason: string }) => r.reason)).toEqual(['atomic-batch-aborted', 'atomic-batch-aborted', 'risk-not-open']);
    expect(await t.allEvents()).toHaveLength(before.length);
    const accepted = await post(staffA, batch.slice(0, 2), 'application/json', '?atomic=true').expect(200);
    expect(accepted.body).toMatchObject({ accepted: 2 });
  });

  it('documents the shapes it answers: 200 a single duplicate result or a batch, 201 a single accepted result', async () => {
    const event = childRegistered(randomUUID(), SCHOOL_A);
    const created = await post(staffA, event, 'application/json', '?atomic=true').expect(201);
    expect(Object.keys(created.body).sort()).toEqual(['eventId', 'globalPosition', 'status']);
    const single = await post(staffA, event, 'application/json', '?atomic=true').expect(200);
    expect(single.body).toEqual({ eventId: event.eventId, status: 'duplicate', globalPosition: created.body.globalPosition });
    const batch = await post(staffA, [event], 'application/json', '?atomic=true').expect(200);
    expect(batch.body).toMatchObject({ accepted: 0, duplicate: 1, rejected: 0 });
    const document = (await t.http.get('/api/docs-json').expect(200)).body;
    const { responses } = document.paths['/api/v1/events'].post;
    const schemaOf = (status: string) => responses[status].content['application/json'].schema;
    expect(schemaOf('200')).toEqual({ oneOf: [{ $ref: '#/components/schemas/EventResultDto' }, { $ref: '#/components/schemas/EventBatchResponseDto' }] });
    expect(schemaOf('201')).toEqual({ $ref: '#/components/schemas/EventResultDto' });
  });

  it('answers 413 naming the limit for too large a body or too many events, and writes nothing', async () => {
    const before = await t.allEvents();
    const big = childRegistered(randomUUID(), SCHOOL_A, { className: 'x'.repeat(70 * 1024) });
    const tooLarge = await post(staffA, big).expect(413);
    expect(tooLarge.body).toMatchObject({ code: 'payload-too-large', limit: 64 * 1024 });
    expect(tooLarge.headers['content-type']).toMatch(/^application\/problem\+json/);
    const many = Array.from({ length: 51 }, () => childRegistered(randomUUID(), SCHOOL_A));
    expect((await post(staffA, ndjson(many), 'application/x-ndjson').expect(413)).body).toMatchObject({ code: 'too-many-events', limit: 50 });
    expect(await t.allEvents()).toHaveLength(before.length);
  });

  it('answers malformed bodies with 400 problems, never a 5xx', async () => {
    expect((await post(staffA, '{"eventId": ').expect(400)).body).toMatchObject({ code: 'malformed-json' });
    expect((await post(staffA, '{}\nnot json', 'application/x-ndjson').expect(400)).body).toMatchObject({ code: 'malformed-json', field: '[1]' });
    expect((await post(staffA, '[]').expect(400)).body).toMatchObject({ code: 'empty-batch' });
    expect((await post(staffA, '42').expect(400)).body).toMatchObject({ code: 'invalid-value' });
    expect((await post(staffA, '{}', 'application/json', '?atomic=maybe').expect(400)).body).toMatchObject({ code: 'invalid-value', field: 'query.atomic' });
    const badLogin = await t.http.post('/api/v1/auth/login').set('content-type', 'application/json').send('{"username"').expect(400);
    expect(badLogin.body).toMatchObject({ code: 'malformed-json' });
    expect(JSON.stringify(badLogin.body)).not.toMatch(/at .*\.js/);
  });

  it('requires a valid bearer token (401) and a writing role (403)', async () => {
    const event = childRegistered(randomUUID(), SCHOOL_A);
    expect((await t.http.post('/api/v1/events').send(event).expect(401)).body).toMatchObject({ code: 'unauthorized' });
    expect((await post('not-a-token', event).expect(401)).body).toMatchObject({ code: 'invalid-token' });
    const county = await t.token('county.edu');
    expect((await post(county, event).expect(403)).body).toMatchObject({ code: 'forbidden' });
    expect((await post(await t.token('auditor'), event).expect(403)).body).toMatchObject({ code: 'forbidden' });
  });

  it("refuses a school's events about another school's children, carers and school stream (forbidden), writing nothing", async () => {
    const childId = randomUUID();
    await post(staffB, childRegistered(childId, SCHOOL_B)).expect(201);
    const carerId = randomUUID();
    await post(staffB, carerRegistered(carerId, SCHOOL_B)).expect(201);
    const before = await t.allEvents();
    const cases = [
      childRegistered(randomUUID(), SCHOOL_B),
      childEvent('CareActivityRecorded', childId, { activityId: 'z', kind: 'talk' }),
      { ...carerRegistered(randomUUID(), SCHOOL_B) },
      { eventId: randomUUID(), type: 'CarerRetired', carerId, occurredAt: '2025-03-01', data: { reason: 'moved' } },
      { eventId: randomUUID(), type: 'EnrollmentReported', schoolId: SCHOOL_B, occurredAt: '2025-03-01', data: { term: '2025-spring', totalPupils: 10 } },
    ];
    for (const event of cases) {
      const response = await post(staffA, event).expect(403);
      expect(response.body).toMatchObject({ code: 'forbidden' });
    }
    const batch = await post(staffA, cases).expect(422);
    expect(batch.body.results.every((r: { reason: string }) => r.reason === 'forbidden')).toBe(true);
    expect(await t.allEvents()).toHaveLength(before.length);
  });

  it('accepts concurrent writers of one child: a stale revision is re-read and decided again', async () => {
    const childId = randomUUID();
    await post(staffA, childRegistered(childId, SCHOOL_A)).expect(201);
    const activities = Array.from({ length: 6 }, (_, i) => childEvent('CareActivityRecorded', childId, { activityId: `c${i}`, kind: 'talk' }));
    const responses = await Promise.all(activities.map((activity) => post(staffA, activity)));
    expect(responses.map((response) => response.status)).toEqual([201, 201, 201, 201, 201, 201]);
    const stream = await t.store.readStream(`child-${childId}`);
    expect(stream.map((event) => event.revision)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const sameId = await Promise.all([1, 2, 3].map(() => post(staffA, childEvent('CareActivityRecorded', childId, { activityId: 'dup', kind: 'talk' }))));
    expect(sameId.map((response) => response.body.code ?? response.body.status).sort()).toEqual(['accepted', 'duplicate-id', 'duplicate-id']);
  });

  it('echoes X-Request-Id and makes one when absent', async () => {
    const echoed = await t.http.get('/health').set('x-request-id', 'req-123').expect(200);
    expect(echoed.headers['x-request-id']).toBe('req-123');
    const made = await t.http.get('/health').expect(200);
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(t.logs.some((line) => line.includes('"requestId":"req-123"'))).toBe(true);
  });
});
