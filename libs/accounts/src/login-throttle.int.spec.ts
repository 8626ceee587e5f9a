import type { Pool } from 'pg';
import type { TestDatabase } from '@lbc/testing';
import { createTestDatabase } from '@lbc/testing';
import { migrateAccounts } from './accounts';
import { LOGIN_THROTTLE, LoginThrottle } from './login-throttle';

describe('LoginThrottle on PostgreSQL', () => {
  let db: TestDatabase;
  let pool: Pool;
  let throttle: LoginThrottle;
  const T0 = Date.parse('2025-03-14T02:00:00Z');
  const at = (seconds: number) => new Date(T0 + seconds * 1000);

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateAccounts(db.url);
    pool = db.pool();
    throttle = new LoginThrottle(pool);
  });
  afterAll(async () => {
    await db.drop();
  });

  it('slows an account after 5 failures, doubling the wait, locks it for 15 minutes after 10, then forgets', async () => {
    const keys = (n: number) => ({ account: 'Li.Hua', address: `10.0.0.${n}` });
    let now = 0;
    for (let failure = 1; failure <= 5; failure++) expect(await throttle.attempt(keys(failure), at(now))).toEqual({ allowed: true });
    const waits: number[] = [];
    for (let failure = 6; failure <= 10; failure++) {
      const refused = await throttle.attempt(keys(failure), at(now));
      if (refused.allowed) throw new Error('not slowed');
      waits.push(refused.retryAfterSeconds);
      now += refused.retryAfterSeconds;
      expect(await throttle.attempt({ account: 'li.hua', address: `10.0.1.${failure}` }, at(now))).toEqual({ allowed: true });
    }
    expect(waits).toEqual([1, 2, 4, 8, 16]);
    expect(await throttle.attempt(keys(11), at(now))).toEqual({ allowed: false, retryAfterSeconds: LOGIN_THROTTLE.account.lockSeconds });
    expect(await throttle.attempt(keys(12), at(now + 899))).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(await throttle.attempt(keys(13), at(now + 900))).toEqual({ allowed: true });
    const { rows } = await pool.query("SELECT failures FROM login_throttle WHERE scope = 'account' AND key = 'li.hua'");
    expect(rows).toEqual([{ failures: 1 }]);
  });

  it('a success starts the account from zero', async () => {
    const keys = { account: 'zhang.san', address: '10.1.0.1' };
    for (let failure = 1; failure <= 4; failure++) await throttle.attempt(keys, at(0));
    await throttle.succeeded(keys);
    for (let failure = 1; failure <= 4; failure++) expect(await throttle.attempt(keys, at(1))).toEqual({ allowed: true });
  });

  it('slows and locks one address trying many accounts; its successful logins take back only their own attempt', async () => {
    const address = '10.2.0.1';
    for (let n = 1; n <= LOGIN_THROTTLE.address.slowAfter - 1; n++) expect(await throttle.attempt({ account: `guess.${n}`, address }, at(0))).toEqual({ allowed: true });
    expect(await throttle.attempt({ account: 'real.user', address }, at(0))).toEqual({ allowed: true });
    await throttle.succeeded({ account: 'real.user', address });
    expect(await throttle.attempt({ account: 'real.user', address }, at(0))).toEqual({ allowed: true });
    expect(await throttle.attempt({ account: 'another.user', address }, at(0))).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    expect(await throttle.attempt({ account: 'another.user', address: '10.2.0.2' }, at(0))).toEqual({ allowed: true });
  });

  it('counts a burst of parallel attempts before any password is checked', async () => {
    const keys = { account: 'burst', address: '10.3.0.1' };
    const verdicts = await Promise.all(Array.from({ length: 40 }, () => throttle.attempt(keys, at(0))));
    expect(verdicts.filter((verdict) => verdict.allowed)).toHaveLength(LOGIN_THROTTLE.account.slowAfter);
  });
});
