import { randomUUID } from 'node:crypto';
import { DEMO_PASSWORD } from '@lbc/accounts';
import type { IngestTestApp } from '../testing/ingest-test-app';
import { COUNTY, SCHOOL_A, SCHOOL_B, startIngestTestApp } from '../testing/ingest-test-app';

const OTHER_COUNTY = 'cangxi';
const STRONG = 'river-lantern-42';

describe('Accounts through HTTP: users, their tokens, passwords and the change log', () => {
  let t: IngestTestApp;
  let admin: string;
  let schoolAdminA: string;
  const as = (token: string) => ({
    get: (path: string) => t.http.get(path).set('authorization', `Bearer ${token}`),
    post: (path: string, body: object) => t.http.post(path).set('authorization', `Bearer ${token}`).send(body),
    patch: (path: string, body: object) => t.http.patch(path).set('authorization', `Bearer ${token}`).send(body),
  });
  const login = (username: string, password: string) => t.http.post('/api/v1/auth/login').send({ username, password });
  const tokenOf = async (username: string, password = STRONG) => (await login(username, password).expect(200)).body.accessToken as string;
  // Any endpoint that needs only a valid token: past the guard an unknown child is 404.
  const probe = (http: IngestTestApp['http'], token: string) => http.get(`/api/v1/children/${randomUUID()}`).set('authorization', `Bearer ${token}`);

  beforeAll(async () => {
    t = await startIngestTestApp();
    admin = await t.token('admin');
    const created = await as(admin).post('/api/v1/users', { username: 'admin.a', password: STRONG, role: 'school_admin', schoolId: SCHOOL_A }).expect(201);
    expect(created.body).toEqual({ id: expect.any(String), username: 'admin.a', role: 'school_admin', schoolId: SCHOOL_A, countyId: COUNTY, disabled: false });
    schoolAdminA = await tokenOf('admin.a');
  });
  afterAll(() => t.close());

  it('platform_admin creates any account; a school account gets its school’s county; no secret comes back', async () => {
    const auditor = await as(admin).post('/api/v1/users', { username: 'auditor.cx', password: STRONG, role: 'auditor', countyId: OTHER_COUNTY }).expect(201);
    expect(auditor.body).toEqual({ id: expect.any(String), username: 'auditor.cx', role: 'auditor', countyId: OTHER_COUNTY, disabled: false });
    expect(JSON.stringify(auditor.body)).not.toMatch(/password|argon|hash/i);
    const mismatch = await as(admin).post('/api/v1/users', { username: 'staff.x', password: STRONG, role: 'school_staff', schoolId: SCHOOL_B, countyId: OTHER_COUNTY }).expect(422);
    expect(mismatch.body).toMatchObject({ code: 'county-mismatch', field: 'countyId' });
    const unknownSchool = await as(admin).post('/api/v1/users', { username: 'staff.y', password: STRONG, role: 'school_staff', schoolId: randomUUID() }).expect(422);
    expect(unknownSchool.body).toMatchObject({ code: 'unknown-school', field: 'schoolId' });
  });

  it('answers a schema-valid binding that is not one with 422 naming the field, and a value outside the schema with 400, writing nothing', async () => {
    const before = (await as(admin).get('/api/v1/account-changes?limit=500').expect(200)).body.items;
    const binding = async (body: object, code: string, field: string) => {
      const response = await as(admin).post('/api/v1/users', { username: 'bind.x', password: STRONG, ...body }).expect(422);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ status: 422, code, field });
    };
    await binding({ role: 'county_education' }, 'county-required', 'countyId');
    await binding({ role: 'school_staff' }, 'school-required', 'schoolId');
    await binding({ role: 'auditor', countyId: COUNTY, schoolId: SCHOOL_A }, 'school-not-allowed', 'schoolId');
    for (const [body, field] of [
      [{ role: 'auditor', countyId: '' }, 'countyId'],
      [{ role: 'auditor', countyId: 'x'.repeat(65) }, 'countyId'],
      [{ role: 'auditor', countyId: COUNTY, password: '' }, 'password'],
      [{ role: 'auditor', countyId: COUNTY, password: 'x'.repeat(257) }, 'password'],
      [{ role: 'auditor', countyId: COUNTY, username: 'a' }, 'username'],
      [{ role: 'auditor', countyId: COUNTY, username: 'a'.repeat(65) }, 'username'],
      [{ role: 'auditor', countyId: COUNTY, username: '.hidden' }, 'username'],
    ] as const) {
      expect((await as(admin).post('/api/v1/users', { username: 'bind.y', password: STRONG, ...body }).expect(400)).body).toMatchObject({ status: 400, field });
    }
    expect((await as(admin).get('/api/v1/account-changes?limit=500').expect(200)).body.items).toEqual(before);
  });

  it('school_admin creates only school_staff of its own school', async () => {
    const staff = await as(schoolAdminA).post('/api/v1/users', { username: 'staff.a2', password: STRONG, role: 'school_staff' }).expect(201);
    expect(staff.body).toMatchObject({ role: 'school_staff', schoolId: SCHOOL_A, countyId: COUNTY });
    for (const body of [
      { username: 'x.1', password: STRONG, role: 'school_admin' },
      { username: 'x.2', password: STRONG, role: 'school_staff', schoolId: SCHOOL_B },
      { username: 'x.3', password: STRONG, role: 'platform_admin', countyId: COUNTY },
      { username: 'x.4', password: STRONG, role: 'auditor', countyId: COUNTY },
    ]) {
      expect((await as(schoolAdminA).post('/api/v1/users', body).expect(403)).body.code).toBe('forbidden');
    }
    for (const username of ['staff.a', 'county.edu', 'auditor']) {
      const token = await t.token(username);
      expect((await as(token).post('/api/v1/users', { username: 'x.5', password: STRONG, role: 'school_staff', schoolId: SCHOOL_A }).expect(403)).body.code).toBe('forbidden');
      await as(token).get('/api/v1/users').expect(403);
    }
    expect((await login('x.1', STRONG).expect(401)).body.code).toBe('invalid-credentials');
  });

  it('refuses taken names (409), short passwords (400), breached, trivial and demo ones (422) and malformed bodies, writing nothing', async () => {
    const before = (await as(admin).get('/api/v1/users?limit=500').expect(200)).body.items;
    expect((await as(admin).post('/api/v1/users', { username: 'STAFF.A', password: STRONG, role: 'auditor', countyId: COUNTY }).expect(409)).body).toMatchObject({ code: 'username-taken', field: 'username' });
    for (const password of ['short1234', DEMO_PASSWORD]) {
      expect((await as(admin).post('/api/v1/users', { username: 'newstaff', password, role: 'auditor', countyId: COUNTY }).expect(400)).body).toMatchObject({ code: 'invalid-value', field: 'password' });
    }
    for (const password of ['password123456', 'qwertyuiop12', 'newstaff2025', '0000000000']) {
      const weak = await as(admin).post('/api/v1/users', { username: 'newstaff', password, role: 'auditor', countyId: COUNTY }).expect(422);
      expect(weak.body).toMatchObject({ code: 'weak-password', field: 'password' });
    }
    expect((await as(admin).post('/api/v1/users', { username: 'n', password: STRONG, role: 'auditor', countyId: COUNTY, admin: true }).expect(400)).body).toMatchObject({ code: 'unknown-field', field: 'admin' });
    expect((await as(admin).post('/api/v1/users', { username: 'n.n', password: STRONG, role: 'king', countyId: COUNTY }).expect(400)).body).toMatchObject({ code: 'invalid-value', field: 'role' });
    expect((await as(admin).get('/api/v1/users?limit=500').expect(200)).body.items).toEqual(before);
  });

  it('lists, a page at a time, the accounts the caller manages', async () => {
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { username: string }[]; nextCursor: string | null } } = await as(admin)
        .get(`/api/v1/users?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
        .expect(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      all.push(...page.body.items.map((u) => u.username));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(all).toEqual([...all].sort());
    expect(all).toEqual(expect.arrayContaining(['admin', 'admin.a', 'auditor', 'county.edu', 'staff.a', 'staff.a2', 'staff.b']));
    const own = await as(schoolAdminA).get('/api/v1/users').expect(200);
    expect(own.body).toEqual({ items: [expect.objectContaining({ username: 'staff.a' }), expect.objectContaining({ username: 'staff.a2' })], nextCursor: null });
    expect((await as(admin).get('/api/v1/users?cursor=not-ours').expect(400)).body).toMatchObject({ code: 'invalid-cursor', field: 'cursor' });
    expect((await as(admin).get('/api/v1/users?limit=501').expect(400)).body).toMatchObject({ field: 'query.limit' });
  });

  it('a disabled account’s tokens stop at once, on every replica; enabling it again does not revive them', async () => {
    const replica = await t.replica();
    try {
      const staff = await as(schoolAdminA).post('/api/v1/users', { username: 'staff.a3', password: STRONG, role: 'school_staff' }).expect(201);
      const token = await tokenOf('staff.a3');
      await probe(t.http, token).expect(404);
      await probe(replica.http, token).expect(404);
      await as(schoolAdminA).patch(`/api/v1/users/${staff.body.id}`, { disabled: true }).expect(200);
      expect((await probe(replica.http, token).expect(401)).body.code).toBe('invalid-token');
      await probe(t.http, token).expect(401);
      const write = await replica.http.post(`/api/v1/children/${randomUUID()}/activities`).set('authorization', `Bearer ${token}`).send({ kind: 'talk' }).expect(401);
      expect(write.body.code).toBe('invalid-token');
      expect((await login('staff.a3', STRONG).expect(401)).body.code).toBe('invalid-credentials');
      await as(admin).patch(`/api/v1/users/${staff.body.id}`, { disabled: false }).expect(200);
      await probe(replica.http, token).expect(401);
      await probe(replica.http, await tokenOf('staff.a3')).expect(404);
    } finally {
      await replica.close();
    }
  });

  it('a changed role binding takes effect at once: the old token stops', async () => {
    const staff = await as(admin).post('/api/v1/users', { username: 'staff.b2', password: STRONG, role: 'school_staff', schoolId: SCHOOL_B }).expect(201);
    const token = await tokenOf('staff.b2');
    const moved = await as(admin).patch(`/api/v1/users/${staff.body.id}`, { schoolId: SCHOOL_A }).expect(200);
    expect(moved.body).toMatchObject({ schoolId: SCHOOL_A, countyId: COUNTY });
    await probe(t.http, token).expect(401);
  });

  it('PATCH refuses what the caller may not do, and writes nothing', async () => {
    const staffB = (await as(admin).get('/api/v1/users?limit=500').expect(200)).body.items.find((u: { username: string }) => u.username === 'staff.b');
    const staffA = (await as(schoolAdminA).get('/api/v1/users').expect(200)).body.items[0];
    const adminA = (await as(admin).get('/api/v1/users?limit=500').expect(200)).body.items.find((u: { username: string }) => u.username === 'admin.a');
    const changesBefore = (await as(admin).get('/api/v1/account-changes?limit=500').expect(200)).body.items;
    const auditor = (await as(admin).get('/api/v1/users?limit=500').expect(200)).body.items.find((u: { username: string }) => u.username === 'auditor');
    expect((await as(schoolAdminA).patch(`/api/v1/users/${staffB.id}`, { disabled: true }).expect(404)).body.code).toBe('unknown-user');
    expect((await as(schoolAdminA).patch(`/api/v1/users/${staffA.id}`, { role: 'school_admin' }).expect(403)).body.code).toBe('forbidden');
    expect((await as(schoolAdminA).patch(`/api/v1/users/${staffA.id}`, { schoolId: SCHOOL_B }).expect(403)).body.code).toBe('forbidden');
    expect((await as(schoolAdminA).patch(`/api/v1/users/${adminA.id}`, { disabled: true }).expect(404)).body.code).toBe('unknown-user');
    expect((await as(admin).patch(`/api/v1/users/${staffA.id}`, { role: 'auditor' }).expect(422)).body).toMatchObject({ code: 'school-not-allowed', field: 'schoolId' });
    const schoolOfAuditor = await as(admin).patch(`/api/v1/users/${auditor.id}`, { schoolId: SCHOOL_A, countyId: COUNTY }).expect(422);
    expect(schoolOfAuditor.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(schoolOfAuditor.body).toMatchObject({ status: 422, code: 'school-not-allowed', field: 'schoolId' });
    expect((await as(admin).patch(`/api/v1/users/${staffA.id}`, { countyId: OTHER_COUNTY }).expect(422)).body).toMatchObject({ code: 'county-mismatch', field: 'countyId' });
    expect((await as(admin).patch(`/api/v1/users/${staffA.id}`, { countyId: '' }).expect(400)).body).toMatchObject({ code: 'invalid-value', field: 'countyId' });
    const noBody = await t.http.patch(`/api/v1/users/${staffA.id}`).set('authorization', `Bearer ${admin}`).expect(400);
    expect(noBody.body).toMatchObject({ code: 'missing-field', field: 'body' });
    const emptyJson = await t.http.patch(`/api/v1/users/${staffA.id}`).set('authorization', `Bearer ${admin}`).set('content-type', 'application/json').send('').expect(400);
    expect(emptyJson.body).toMatchObject({ code: 'missing-field', field: 'body' });
    expect((await as(admin).patch(`/api/v1/users/${randomUUID()}`, { disabled: true }).expect(404)).body.code).toBe('unknown-user');
    expect((await as(admin).patch('/api/v1/users/not-a-uuid', { disabled: true }).expect(400)).body).toMatchObject({ code: 'invalid-value', field: 'id' });
    expect((await as(admin).patch(`/api/v1/users/${staffA.id}`, { password: STRONG }).expect(400)).body).toMatchObject({ code: 'unknown-field', field: 'password' });
    const me = (await as(admin).get('/api/v1/users?limit=500').expect(200)).body.items.find((u: { username: string }) => u.username === 'admin');
    expect((await as(admin).patch(`/api/v1/users/${me.id}`, { disabled: true }).expect(409)).body).toMatchObject({ code: 'own-account', field: 'disabled' });
    await probe(t.http, await t.token('staff.a')).expect(404);
    expect((await as(admin).get('/api/v1/account-changes?limit=500').expect(200)).body.items).toEqual(changesBefore);
  });

  it('changes one’s own password: the old password and every earlier token stop; wrong or weak ones are refused', async () => {
    await as(admin).post('/api/v1/users', { username: 'staff.pw', password: STRONG, role: 'school_staff', schoolId: SCHOOL_A }).expect(201);
    const token = await tokenOf('staff.pw');
    const wrong = await as(token).post('/api/v1/auth/password', { currentPassword: 'not-my-password', newPassword: 'harbour-violet-77' }).expect(403);
    expect(wrong.body).toMatchObject({ code: 'wrong-password', field: 'currentPassword' });
    const weak = await as(token).post('/api/v1/auth/password', { currentPassword: STRONG, newPassword: 'password1234' }).expect(422);
    expect(weak.body).toMatchObject({ code: 'weak-password', field: 'newPassword' });
    const short = await as(token).post('/api/v1/auth/password', { currentPassword: STRONG, newPassword: 'short1234' }).expect(400);
    expect(short.body).toMatchObject({ code: 'invalid-value', field: 'newPassword' });
    expect((await as(token).post('/api/v1/auth/password', { currentPassword: '', newPassword: 'harbour-violet-77' }).expect(400)).body).toMatchObject({ field: 'currentPassword' });
    await probe(t.http, token).expect(404);
    const changed = await as(token).post('/api/v1/auth/password', { currentPassword: STRONG, newPassword: 'harbour-violet-77' }).expect(200);
    await probe(t.http, token).expect(401);
    await probe(t.http, changed.body.accessToken).expect(404);
    await login('staff.pw', STRONG).expect(401);
    await login('staff.pw', 'harbour-violet-77').expect(200);
    await t.http.post('/api/v1/auth/password').send({ currentPassword: STRONG, newPassword: 'harbour-violet-77' }).expect(401);
  });

  it('records every account change; auditors read their county’s, platform_admin all, nobody else any', async () => {
    const all = (await as(admin).get('/api/v1/account-changes?limit=500').expect(200)).body;
    expect(all.nextCursor).toBeNull();
    const entries = all.items as { change: string; username: string; actorUsername: string; countyId: string; details: Record<string, unknown>; at: string }[];
    expect(entries.find((e) => e.username === 'staff.a3' && e.change === 'updated')).toMatchObject({ actorUsername: 'admin.a', details: { disabled: { from: false, to: true } }, at: expect.any(String) });
    expect(entries.find((e) => e.username === 'staff.pw' && e.change === 'password-changed')).toMatchObject({ actorUsername: 'staff.pw', details: {} });
    expect(entries.find((e) => e.username === 'auditor.cx')).toMatchObject({ change: 'created', actorUsername: 'admin', countyId: OTHER_COUNTY });
    expect(JSON.stringify(entries)).not.toMatch(new RegExp(`${STRONG}|harbour|argon`));

    const county = (await as(await t.token('auditor')).get('/api/v1/account-changes?limit=500').expect(200)).body.items as { countyId: string }[];
    expect(county.length).toBeGreaterThan(0);
    expect(county.every((e) => e.countyId === COUNTY)).toBe(true);
    expect(county).toHaveLength(entries.filter((e) => e.countyId === COUNTY).length);
    const other = (await as(await tokenOf('auditor.cx')).get('/api/v1/account-changes').expect(200)).body.items as { username: string }[];
    expect(other.map((e) => e.username)).toEqual(['auditor.cx']);
    for (const username of ['staff.a', 'county.edu']) await as(await t.token(username)).get('/api/v1/account-changes').expect(403);
    await as(schoolAdminA).get('/api/v1/account-changes').expect(403);
  });

  it('describes the account endpoints in the OpenAPI document with every status they answer', async () => {
    const { body } = await t.http.get('/api/docs-json').expect(200);
    const statuses = (path: string, method: string) => Object.keys(body.paths[path][method].responses).sort();
    expect(statuses('/api/v1/auth/login', 'post')).toEqual(['200', '400', '401', '413', '415', '429']);
    expect(statuses('/api/v1/auth/password', 'post')).toEqual(['200', '400', '401', '403', '413', '415', '422', '429']);
    expect(statuses('/api/v1/users', 'post')).toEqual(['201', '400', '401', '403', '409', '413', '415', '422']);
    expect(statuses('/api/v1/users', 'get')).toEqual(['200', '400', '401', '403']);
    expect(statuses('/api/v1/users/{id}', 'patch')).toEqual(['200', '400', '401', '403', '404', '409', '413', '415', '422']);
    expect(statuses('/api/v1/account-changes', 'get')).toEqual(['200', '400', '401', '403']);
    expect(statuses('/api/v1/children/{childId}', 'get')).toEqual(['200', '400', '401', '403', '404']);
    const bodyOf = (path: string, method: string) => {
      const { $ref } = body.paths[path][method].requestBody.content['application/json'].schema as { $ref: string };
      return body.components.schemas[$ref.split('/').pop() as string];
    };
    expect(body.paths['/api/v1/users/{id}'].patch.requestBody.required).toBe(true);
    expect(body.paths['/api/v1/users/{id}'].patch.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path', schema: { type: 'string', format: 'uuid' } })]);
    const created = bodyOf('/api/v1/users', 'post').properties;
    expect(created.username).toMatchObject({ minLength: 2, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$' });
    expect(created.password).toMatchObject({ minLength: 10, maxLength: 256 });
    expect(created.countyId).toMatchObject({ minLength: 1, maxLength: 64 });
    expect(bodyOf('/api/v1/users/{id}', 'patch').properties.countyId).toMatchObject({ minLength: 1, maxLength: 64 });
    expect(bodyOf('/api/v1/auth/password', 'post').properties).toMatchObject({ currentPassword: { minLength: 1, maxLength: 256 }, newPassword: { minLength: 10, maxLength: 256 } });
    for (const [path, method] of [['/api/v1/users', 'post'], ['/api/v1/users/{id}', 'patch']]) {
      expect(Object.keys(body.paths[path][method].responses['422'].content)).toEqual(['application/problem+json']);
      expect(body.paths[path][method].responses['422'].description).toContain('school-not-allowed');
    }
    const operationIds = ['/api/v1/auth/login', '/api/v1/auth/password', '/api/v1/users', '/api/v1/users/{id}', '/api/v1/account-changes'].flatMap((path) =>
      Object.values(body.paths[path] as Record<string, { operationId: string }>).map((operation) => operation.operationId),
    );
    expect(operationIds).toEqual(['login', 'changeOwnPassword', 'createUser', 'listUsers', 'updateUser', 'listAccountChanges']);
    const everyId = Object.values(body.paths as Record<string, Record<string, { operationId: string }>>).flatMap((operations) => Object.values(operations).map((o) => o.operationId));
    for (const id of [...operationIds, 'getChildFile']) expect(everyId.filter((other) => other === id)).toHaveLength(1);
  });

  it('the demo password opens demo accounts only in demo mode', async () => {
    await t.accounts.seedDemoAccounts(COUNTY, [{ code: 'dh', schoolId: SCHOOL_A }]);
    expect((await login('school.dh.staff', DEMO_PASSWORD).expect(401)).body.code).toBe('invalid-credentials');
    const demo = await startIngestTestApp({ DEMO_MODE: 'true' });
    try {
      await demo.accounts.seedDemoAccounts(COUNTY, [{ code: 'dh', schoolId: SCHOOL_A }]);
      await demo.http.post('/api/v1/auth/login').send({ username: 'school.dh.staff', password: DEMO_PASSWORD }).expect(200);
    } finally {
      await demo.close();
    }
  });
});
