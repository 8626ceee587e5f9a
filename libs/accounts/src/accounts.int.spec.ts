import { PassThrough } from 'node:stream';
import type { Pool } from 'pg';
import type { TestDatabase } from '@lbc/testing';
import { createTestDatabase } from '@lbc/testing';
import type { AccountError } from './account';
import { runAdminCreate } from './admin-create.cli';
import { Accounts, DEMO_PASSWORD, migrateAccounts } from './accounts';

const SCHOOL = '5d0c3c1e-8f5a-4f0e-9d43-0f1f7c0b2a11';

describe('Accounts on PostgreSQL', () => {
  let db: TestDatabase;
  let pool: Pool;
  let accounts: Accounts;

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateAccounts(db.url);
    await migrateAccounts(db.url);
    pool = db.pool();
    accounts = new Accounts(pool);
  });
  afterAll(async () => {
    await db.drop();
  });

  it('creates a user whose password is stored only as an argon2id hash, and verifies the login', async () => {
    const user = await accounts.createUser({ username: 'li.hua', password: 'correct horse', role: 'school_staff', schoolId: SCHOOL, countyId: 'wangcang' });
    expect(user).toEqual({ id: expect.any(String), username: 'li.hua', role: 'school_staff', schoolId: SCHOOL, countyId: 'wangcang', disabled: false });
    const { rows } = await pool.query('SELECT password_hash FROM users WHERE id = $1', [user.id]);
    expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
    expect(await accounts.verifyLogin('LI.HUA', 'correct horse')).toEqual(user);
    expect(await accounts.verifyLogin('li.hua', 'wrong horse')).toBeNull();
    expect(await accounts.verifyLogin('nobody', 'correct horse')).toBeNull();
    expect(await accounts.findById(user.id)).toEqual(user);
  });

  it('refuses bad accounts naming the field, and writes nothing', async () => {
    const before = await pool.query('SELECT count(*)::int AS n FROM users');
    const refusal = (promise: Promise<unknown>) => promise.then(() => null, (error: AccountError) => [error.code, error.field]);
    expect(await refusal(accounts.createUser({ username: 'x y', password: 'long enough', role: 'auditor', countyId: 'c' }))).toEqual(['invalid-username', 'username']);
    expect(await refusal(accounts.createUser({ username: 'short', password: 'short', role: 'auditor', countyId: 'c' }))).toEqual(['weak-password', 'password']);
    expect(await refusal(accounts.createUser({ username: 'staff', password: 'long enough', role: 'school_staff', countyId: 'c' }))).toEqual(['school-required', 'schoolId']);
    expect(await refusal(accounts.createUser({ username: 'aud', password: 'long enough', role: 'auditor', schoolId: SCHOOL, countyId: 'c' }))).toEqual(['school-not-allowed', 'schoolId']);
    expect(await refusal(accounts.createUser({ username: 'aud', password: 'long enough', role: 'king' as never, countyId: 'c' }))).toEqual(['unknown-role', 'role']);
    expect(await refusal(accounts.createUser({ username: 'Li.Hua', password: 'long enough', role: 'auditor', countyId: 'c' }))).toEqual(['username-taken', 'username']);
    expect((await pool.query('SELECT count(*)::int AS n FROM users')).rows).toEqual(before.rows);
  });

  it('seeds the demo accounts once, whatever the number of starts', async () => {
    const schools = [{ code: 'dh', schoolId: SCHOOL }];
    const first = await accounts.seedDemoAccounts('wangcang', schools);
    const second = await accounts.seedDemoAccounts('wangcang', schools);
    expect(second).toEqual(first);
    expect(first.map((user) => [user.username, user.role])).toEqual([
      ['admin', 'platform_admin'],
      ['auditor', 'auditor'],
      ['county.edu', 'county_education'],
      ['county.league', 'county_youth_league'],
      ['school.dh.admin', 'school_admin'],
      ['school.dh.staff', 'school_staff'],
    ]);
    expect(await accounts.verifyLogin('school.dh.staff', DEMO_PASSWORD)).toMatchObject({ schoolId: SCHOOL });
  });

  it('admin:create makes a platform admin from flags or answers, and refuses a weak password', async () => {
    const run = async (argv: string[], answers = '') => {
      const input = new PassThrough();
      const output = new PassThrough();
      input.end(answers);
      const chunks: Buffer[] = [];
      output.on('data', (chunk: Buffer) => chunks.push(chunk));
      const code = await runAdminCreate(accounts, argv, { input, output });
      return { code, text: Buffer.concat(chunks).toString() };
    };
    expect(await run(['--username', 'root', '--county', 'wangcang', '--password', 'a long secret'])).toMatchObject({ code: 0, text: expect.stringMatching(/created platform_admin root/) });
    expect(await run([], 'root2\nwangcang\nanother secret\n')).toMatchObject({ code: 0 });
    expect(await run(['--username', 'root3', '--county', 'wangcang', '--password', 'weak'])).toMatchObject({ code: 1, text: expect.stringMatching(/refused: password/) });
    expect(await accounts.verifyLogin('root2', 'another secret')).toMatchObject({ role: 'platform_admin', countyId: 'wangcang' });
    expect(await accounts.countPlatformAdmins()).toBe(3);
  });
});
