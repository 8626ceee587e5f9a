import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Response } from 'supertest';
import { carerRegistered, childRegistered, ndjson } from '../testing/events';
import type { IngestTestApp } from '../testing/ingest-test-app';
import { SCHOOL_A, startIngestTestApp } from '../testing/ingest-test-app';

const NUL = '\u0000';
const LONE_SURROGATE = '\ud800';

/** A 400 problem naming the field, as API.md answers bad input. */
function expectBadInput(response: Response, field: string): void {
  expect({ status: response.status, field: response.body.field }).toEqual({ status: 400, field });
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ type: expect.any(String), title: 'Bad Request', detail: expect.any(String), code: 'invalid-value' });
}

describe('input no store can keep, and odd ids and dates, are 400 naming the field', () => {
  let t: IngestTestApp;
  let staff: string;
  const child = randomUUID();
  const carer = randomUUID();
  beforeAll(async () => {
    t = await startIngestTestApp();
    staff = await t.token('staff.a');
    const auth = `Bearer ${staff}`;
    await t.http.post('/api/v1/events').set('authorization', auth).send(childRegistered(child, SCHOOL_A)).expect(201);
    await t.http.post('/api/v1/events').set('authorization', auth).send(carerRegistered(carer, SCHOOL_A)).expect(201);
  });
  afterAll(() => t.close());

  const post = (path: string, body: string | object, contentType = 'application/json') =>
    t.http
      .post(path)
      .set('authorization', `Bearer ${staff}`)
      .set('content-type', contentType)
      .send(typeof body === 'string' ? body : JSON.stringify(body));

  it('login: a NUL in the username, an unpaired surrogate in the password', async () => {
    expectBadInput(await t.http.post('/api/v1/auth/login').send({ username: `ad${NUL}min`, password: 'a test password' }), 'username');
    const raw = '{"username":"admin","password":"\\ud800 and more"}';
    expectBadInput(await t.http.post('/api/v1/auth/login').set('content-type', 'application/json').send(raw), 'password');
  });

  it('forms: a NUL in an archive update and a carer erasure, a surrogate in a nested field; nothing written', async () => {
    const before = (await t.allEvents()).length;
    expectBadInput(await post(`/api/v1/children/${child}/archive`, { className: `4(2)${NUL}班` }), 'className');
    expectBadInput(
      await post(`/api/v1/children/${child}/archive`, { personal: { guardian: { name: `王${LONE_SURROGATE}`, relation: '祖父' } } }),
      'personal.guardian.name',
    );
    expectBadInput(await post(`/api/v1/carers/${carer}/erasure`, { reason: `left${NUL}` }), 'reason');
    expect(await t.allEvents()).toHaveLength(before);
  });

  it('forms: a null where the form would fill in a value is refused, not replaced', async () => {
    const before = (await t.allEvents()).length;
    const registration = {
      className: '4(2)班',
      grade: 4,
      gender: 'female',
      birthMonth: '2015-06',
      category: 'left-behind',
      parentsAway: 'both',
      guardianType: 'grandparent',
      personal: { name: '王小花' },
    };
    expect((await post('/api/v1/children', { ...registration, childId: null })).body).toMatchObject({ status: 400, field: 'childId' });
    expect((await post('/api/v1/children', { ...registration, eventId: null })).body).toMatchObject({ status: 400, field: 'eventId' });
    expect((await post('/api/v1/children', { ...registration, occurredAt: null })).body).toMatchObject({ status: 400, field: 'occurredAt' });
    expect((await post(`/api/v1/children/${child}/activities`, { kind: 'talk', activityId: null })).body).toMatchObject({ status: 400, field: 'activityId' });
    expect(await t.allEvents()).toHaveLength(before);
  });

  it('events: a birth month before the calendar this platform keeps is 400 naming it', async () => {
    expectBadInput(await post('/api/v1/events', childRegistered(randomUUID(), SCHOOL_A, { birthMonth: '0000-01' })), 'data.birthMonth');
  });

  it('events: a single event with a NUL is 400 naming its field; nothing written', async () => {
    const before = (await t.allEvents()).length;
    const event = childRegistered(randomUUID(), SCHOOL_A, { className: `4${NUL}` });
    const response = await post('/api/v1/events', event);
    expectBadInput(response, 'data.className');
    expect(await t.allEvents()).toHaveLength(before);
  });

  it('events: a non-atomic batch rejects just the element with a NUL or a surrogate; the others are stored, every one has a result', async () => {
    for (const [body, contentType] of [
      [(events: object[]) => JSON.stringify(events), 'application/json'],
      [ndjson, 'application/x-ndjson'],
    ] as const) {
      const good = childRegistered(randomUUID(), SCHOOL_A);
      const bad = childRegistered(randomUUID(), SCHOOL_A);
      (bad.data.personal as Record<string, unknown>)['name'] = `王${NUL}花`;
      const surrogate = childRegistered(randomUUID(), SCHOOL_A, { className: `4${LONE_SURROGATE}` });
      const before = (await t.allEvents()).length;
      const response = await post('/api/v1/events', body([good, bad, surrogate]), contentType).expect(422);
      expect(response.body).toMatchObject({ code: 'events-rejected', accepted: 1, rejected: 2, field: '[1].data.personal.name' });
      expect(response.body.results).toEqual([
        { eventId: good.eventId, status: 'accepted', globalPosition: expect.any(Number) },
        expect.objectContaining({ eventId: bad.eventId, status: 'rejected', reason: 'invalid-value', field: 'data.personal.name' }),
        expect.objectContaining({ eventId: surrogate.eventId, status: 'rejected', reason: 'invalid-value', field: 'data.className' }),
      ]);
      expect((await t.allEvents()).map((event) => event.eventId).slice(before)).toEqual([good.eventId]);
    }
  });

  it('path parameters: a NUL or anything but an id is 400 naming the parameter', async () => {
    const get = (path: string) => t.http.get(path).set('authorization', `Bearer ${staff}`);
    expectBadInput(await get('/api/v1/children/a%00b'), 'childId');
    expectBadInput(await get(`/api/v1/children/${'x'.repeat(129)}`), 'childId');
    expectBadInput(await get('/api/v1/children/a%20b'), 'childId');
    expectBadInput(await post('/api/v1/children/a%00b/archive', { grade: 5 }), 'childId');
    expectBadInput(await post(`/api/v1/children/${child}/activities/a%00b/void`, { reason: 'typo' }), 'activityId');
    expectBadInput(await post('/api/v1/schools/a%00b/enrollment-reports', { term: '2025-fall', totalPupils: 100 }), 'schoolId');
  });

  it('query parameters: a NUL is 400 naming it (dates of the read side: libs/read-api)', async () => {
    const get = (path: string) => t.http.get(path).set('authorization', `Bearer ${staff}`);
    expectBadInput(await get(`/api/v1/children/${child}?x=%00`), 'query.x');
    expectBadInput(await post('/api/v1/events?atomic=%00', childRegistered(randomUUID(), SCHOOL_A)), 'query.atomic');
  });
});

describe('the order and form of refusals the request handling makes', () => {
  let t: IngestTestApp;
  beforeAll(async () => {
    t = await startIngestTestApp();
  });
  afterAll(() => t.close());

  it('an unauthenticated body above the limit is 401: authentication is decided before the body is read', async () => {
    const big = JSON.stringify([childRegistered(randomUUID(), SCHOOL_A, { className: 'x'.repeat(70 * 1024) })]);
    for (const path of ['/api/v1/events', `/api/v1/children/${randomUUID()}/archive`]) {
      const response = await t.http.post(path).set('content-type', 'application/json').send(big);
      expect({ path, status: response.status }).toEqual({ path, status: 401 });
    }
    const admin = await t.token('admin');
    const tooLarge = await t.http.post('/api/v1/events').set('authorization', `Bearer ${admin}`).set('content-type', 'application/json').send(big);
    expect(tooLarge.status).toBe(413);
  });

  it('a body of a media type the endpoint does not read is 415', async () => {
    const response = await t.http.post('/api/v1/auth/login').set('content-type', 'text/plain').send('username=admin');
    expect(response.status).toBe(415);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const admin = await t.token('admin');
    const events = await t.http.post('/api/v1/events').set('authorization', `Bearer ${admin}`).set('content-type', 'text/xml').send('<event/>');
    expect(events.status).toBe(415);
  });

  it('a method a known path does not answer is 405 with Allow; an unknown path stays 404', async () => {
    const trace = await t.http.trace('/api/v1/events');
    expect(trace.status).toBe(405);
    expect(trace.headers['allow']).toBe('POST');
    expect(trace.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(trace.body).toMatchObject({ status: 405, code: 'method-not-allowed' });
    const put = await t.http.put(`/api/v1/children/${randomUUID()}`);
    expect(put.status).toBe(405);
    expect(put.headers['allow']).toBe('GET, HEAD');
    expect((await t.http.options('/health')).status).toBe(405);
    expect((await t.http.trace('/api/v1/nothing-here')).status).toBe(404);
  });

  it('headers above the size limit are 431 as problem details', async () => {
    const server = t.app.getHttpServer();
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const answer = await new Promise<{ status?: number; type?: string; body: string }>((resolve, reject) => {
      const call = httpRequest({ host: '127.0.0.1', port, path: '/health', headers: { 'x-padding': 'x'.repeat(64 * 1024) } }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode, type: response.headers['content-type'], body }));
      });
      call.on('error', reject);
      call.end();
    });
    expect(answer.status).toBe(431);
    expect(answer.type).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 431, code: 'header-fields-too-large' });
  });
});
