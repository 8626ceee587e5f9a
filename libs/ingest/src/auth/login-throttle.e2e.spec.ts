import { LOGIN_THROTTLE } from '@lbc/accounts';
import type { IngestTestApp } from '../testing/ingest-test-app';
import { PASSWORD, startIngestTestApp } from '../testing/ingest-test-app';

// The server's clock stands still, so a block never runs out while a test looks at it.
const frozen = () => new Date('2025-03-14T02:00:00Z');
const login = (http: IngestTestApp['http'], username: string, password: string) => http.post('/api/v1/auth/login').send({ username, password });

function expectTooMany(response: { status: number; headers: Record<string, string>; body: { code: string; status: number } }): number {
  expect(response.status).toBe(429);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ status: 429, code: 'too-many-attempts' });
  const retryAfter = Number(response.headers['retry-after']);
  expect(Number.isInteger(retryAfter) && retryAfter >= 1).toBe(true);
  return retryAfter;
}

describe('Login throttle per account (counters in PostgreSQL)', () => {
  let t: IngestTestApp;
  beforeAll(async () => {
    t = await startIngestTestApp({}, { clock: frozen });
  });
  afterAll(() => t.close());

  it('slows an account after 5 wrong passwords in a row (a right one in between starts it from zero): then even the right one is answered 429 with Retry-After', async () => {
    const { slowAfter } = LOGIN_THROTTLE.account;
    for (let attempt = 1; attempt < slowAfter; attempt++) await login(t.http, 'staff.a', 'wrong password').expect(401);
    await login(t.http, 'staff.a', PASSWORD).expect(200);
    for (let attempt = 1; attempt <= slowAfter; attempt++) {
      expect((await login(t.http, 'staff.a', `wrong password ${attempt}`).expect(401)).body.code).toBe('invalid-credentials');
    }
    expectTooMany(await login(t.http, 'staff.a', 'wrong password again'));
    expectTooMany(await login(t.http, 'STAFF.A', PASSWORD));
    await login(t.http, 'staff.b', PASSWORD).expect(200);
  });

  it('counts on every replica alike, and a burst of parallel guesses gets no more tries than a sequence', async () => {
    const replica = await t.replica();
    try {
      const responses = await Promise.all(
        Array.from({ length: 24 }, (_, i) => login(i % 2 === 0 ? t.http : replica.http, 'county.edu', `parallel guess ${i}`)),
      );
      const statuses = responses.map((r) => r.status);
      expect(statuses.filter((s) => s === 401)).toHaveLength(LOGIN_THROTTLE.account.slowAfter);
      expect(statuses.filter((s) => s === 429)).toHaveLength(24 - LOGIN_THROTTLE.account.slowAfter);
      expectTooMany(await login(replica.http, 'county.edu', PASSWORD));
      expectTooMany(await login(t.http, 'county.edu', PASSWORD));
    } finally {
      await replica.close();
    }
  });
});

describe('Login throttle per address', () => {
  let t: IngestTestApp;
  beforeAll(async () => {
    t = await startIngestTestApp({}, { clock: frozen });
  });
  afterAll(() => t.close());

  it('slows an address that tries many accounts, once per account: then every account from it waits', async () => {
    const { slowAfter } = LOGIN_THROTTLE.address;
    const guesses = await Promise.all(Array.from({ length: slowAfter }, (_, n) => login(t.http, `nobody.${n}`, 'a guessed password')));
    expect(guesses.map((r) => r.status)).toEqual(Array(slowAfter).fill(401));
    expectTooMany(await login(t.http, 'staff.b', PASSWORD));
  }, 120_000);
});
