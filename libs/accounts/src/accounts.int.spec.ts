import { PassThrough } from 'node:stream';
import type { Pool } from 'pg';
import type { TestDatabase } from '@lbc/testing';
import { createTestDatabase } from '@lbc/testing';
import type { AccountError, User } from './account';
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
    expect(await accounts.verifyLogin('LI.HUA', 'correct horse')).toEqual({ ...user, tokenVersion: 0 });
    expect(await accounts.verifyLogin('li.hua', 'wrong horse')).toBeNull();
    expect(await accounts.verifyLogin('nobody', 'correct horse')).toBeNull();
    expect(await accounts.findById(user.id)).toEqual(user);
  });

  it('refuses bad accounts naming the field, and writes nothing', async () => {
    const before = await pool.query('SELECT count(*)::int AS n FROM users');
    const refusal = (promise: Promise<unknown>) => promise.then(() => null, (error: AccountError) => [error.code, error.field]);
    expect(await refusal(accounts.createUser({ username: 'x y', password: 'long enough', role: 'auditor', countyId: 'c' }))).toEqual(['invalid-username', 'username']);
    expect(await refusal(accounts.createUser({ username: 'short', password: 'short', role: 'auditor', countyId: 'c' }))).toEqual(['weak-password', 'password']);
    for (const breachedOrTrivial of ['nine char', 'password123456', 'qwertyuiop', '1q2w3e4r5t6y', 'aaaaaaaaaaaa', DEMO_PASSWORD]) {
      expect(await refusal(accounts.createUser({ username: 'weak', password: breachedOrTrivial, role: 'auditor', countyId: 'c' }))).toEqual(['weak-password', 'password']);
    }
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

describe('Account changes and token versions', () => {
  let db: TestDatabase;
  let pool: Pool;
  let accounts: Accounts;
  const admin = { id: '0f8e4c1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b', username: 'root' };
  const allow = () => undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateAccounts(db.url);
    pool = db.pool();
    accounts = new Accounts(pool);
  });
  afterAll(async () => {
    await db.drop();
  });

  it('moves the token version on at every change, and logs who changed what, without secrets', async () => {
    const user = await accounts.createUser({ username: 'wang.li', password: 'correct horse', role: 'school_staff', schoolId: SCHOOL, countyId: 'wangcang' }, admin);
    const version = async () => (await accounts.sessionOf(user.id))?.tokenVersion;
    expect(await version()).toBe(0);
    expect(await accounts.updateUser(user.id, { disabled: false }, admin, allow)).toEqual(user);
    expect(await version()).toBe(0);
    expect(await accounts.updateUser(user.id, { disabled: true }, admin, allow)).toMatchObject({ disabled: true });
    expect(await version()).toBe(1);
    await accounts.updateUser(user.id, { disabled: false, role: 'auditor', schoolId: null, countyId: 'cangxi' }, admin, allow);
    expect(await accounts.sessionOf(user.id)).toMatchObject({ role: 'auditor', countyId: 'cangxi', tokenVersion: 2 });
    expect((await accounts.sessionOf(user.id))?.schoolId).toBeUndefined();
    await expect(accounts.changePassword(user.id, 'wrong horse', 'a brand new secret')).rejects.toMatchObject({ code: 'wrong-password', field: 'currentPassword' });
    await expect(accounts.changePassword(user.id, 'correct horse', 'qwertyuiop')).rejects.toMatchObject({ code: 'weak-password', field: 'newPassword' });
    expect(await accounts.changePassword(user.id, 'correct horse', 'a brand new secret')).toMatchObject({ tokenVersion: 3 });
    expect(await accounts.verifyLogin('wang.li', 'correct horse')).toBeNull();

    const { items } = await accounts.listChanges({}, { limit: 10 });
    expect(items.map((c) => [c.change, c.actorUsername, c.countyId, c.details])).toEqual([
      ['created', 'root', 'wangcang', { role: 'school_staff', schoolId: SCHOOL, countyId: 'wangcang' }],
      ['updated', 'root', 'wangcang', { disabled: { from: false, to: true } }],
      [
        'updated',
        'root',
        'cangxi',
        { disabled: { from: true, to: false }, role: { from: 'school_staff', to: 'auditor' }, schoolId: { from: SCHOOL, to: null }, countyId: { from: 'wangcang', to: 'cangxi' } },
      ],
      ['password-changed', 'wang.li', 'cangxi', {}],
    ]);
    expect(JSON.stringify(items)).not.toMatch(/horse|secret|argon2/);
    expect((await accounts.listChanges({ countyId: 'wangcang' }, { limit: 10 })).items.map((c) => c.change)).toEqual(['created', 'updated', 'updated']);
    expect((await accounts.listChanges({ countyId: 'cangxi' }, { limit: 10 })).items.map((c) => c.change)).toEqual(['updated', 'password-changed']);
  });

  it('refuses a change the actor may not make, and writes nothing', async () => {
    const user = await accounts.createUser({ username: 'zhao.min', password: 'correct horse', role: 'school_staff', schoolId: SCHOOL, countyId: 'wangcang' }, admin);
    const before = await accounts.listChanges({}, { limit: 500 });
    const onlyDisable = (from: User, to: User) => {
      if (to.role !== from.role) throw new Error('refused');
    };
    await expect(accounts.updateUser(user.id, { role: 'school_admin', disabled: true }, admin, onlyDisable)).rejects.toThrow('refused');
    await expect(accounts.updateUser(user.id, { role: 'auditor' }, admin, allow)).rejects.toMatchObject({ code: 'school-not-allowed', field: 'schoolId' });
    await expect(accounts.updateUser(SCHOOL, { disabled: true }, admin, allow)).rejects.toMatchObject({ code: 'unknown-user' });
    expect(await accounts.sessionOf(user.id)).toMatchObject({ disabled: false, role: 'school_staff', tokenVersion: 0 });
    expect((await accounts.listChanges({}, { limit: 500 })).items).toEqual(before.items);
  });

  it('keeps the log append-only, even for the table owner', async () => {
    await expect(pool.query("UPDATE account_changes SET actor_username = 'nobody'")).rejects.toThrow(/append-only/);
    await expect(pool.query('DELETE FROM account_changes')).rejects.toThrow(/append-only/);
    await expect(pool.query('TRUNCATE account_changes')).rejects.toThrow(/append-only/);
  });

  it('pages users and changes with opaque cursors, and refuses forged ones', async () => {
    for (const name of ['p.a', 'p.b', 'p.c']) await accounts.createUser({ username: name, password: 'correct horse', role: 'county_education', countyId: 'pages' }, admin);
    const first = await accounts.listUsers({ countyId: 'pages' }, { limit: 2 });
    expect(first.items.map((u) => u.username)).toEqual(['p.a', 'p.b']);
    const second = await accounts.listUsers({ countyId: 'pages' }, { limit: 2, cursor: first.nextCursor ?? undefined });
    expect(second).toEqual({ items: [expect.objectContaining({ username: 'p.c' })], nextCursor: null });
    await expect(accounts.listUsers({}, { limit: 2, cursor: '!!' })).rejects.toMatchObject({ code: 'invalid-cursor', field: 'cursor' });
    await expect(accounts.listChanges({}, { limit: 2, cursor: Buffer.from('1 OR 1=1').toString('base64url') })).rejects.toMatchObject({ code: 'invalid-cursor' });
    const changes = await accounts.listChanges({ countyId: 'pages' }, { limit: 2 });
    expect((await accounts.listChanges({ countyId: 'pages' }, { limit: 2, cursor: changes.nextCursor ?? undefined })).items.map((c) => c.username)).toEqual(['p.c']);
  });
});
