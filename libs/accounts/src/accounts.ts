import * as argon2 from 'argon2';
import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { runMigrations, transaction } from '@lbc/postgres';
import type { AccountChange, AccountSession, ChangeActor, NewUser, Page, User, UserPatch } from './account';
import { AccountError } from './account';
import { CreateUsers1735700000000 } from './migrations/1735700000000-create-users.migration';
import { AccountSecurity1735900000000 } from './migrations/1735900000000-account-security.migration';
import { passwordWeakness } from './password-policy';
import type { Role } from './roles';
import { isSchoolRole, ROLES } from './roles';

/** The demo accounts' password: short and well known, so it never passes the policy; only `seedDemoAccounts` sets it. */
export const DEMO_PASSWORD = 'demo1234';
const USERNAME = /^[a-z0-9][a-z0-9._-]{1,63}$/i;
/** Changes made outside any request (scripts, tests) are recorded as this actor's. */
const SYSTEM: ChangeActor = { id: null, username: 'system' };

interface UserRow {
  id: string;
  username: string;
  role: Role;
  school_id: string | null;
  county_id: string;
  disabled: boolean;
  password_hash: string;
  token_version: number;
}

interface ChangeRow {
  id: string;
  at: Date;
  actor_id: string | null;
  actor_username: string;
  user_id: string;
  username: string;
  county_id: string;
  change: AccountChange['change'];
  details: Record<string, unknown>;
}

/** A demo school whose accounts `school.<code>.admin` and `school.<code>.staff` are seeded. */
export interface DemoSchool {
  readonly code: string;
  readonly schoolId: string;
}

export interface PageRequest {
  /** 1–500 (API.md). */
  readonly limit: number;
  readonly cursor?: string;
}

/** Which accounts a listing covers: all of them, a county's, or a school's. */
export interface UserScope {
  readonly countyId?: string;
  readonly schoolId?: string;
  readonly role?: Role;
}

export function migrateAccounts(url: string): Promise<void> {
  return runMigrations(url, 'accounts_migrations', [CreateUsers1735700000000, AccountSecurity1735900000000]);
}

/** Users and their passwords (argon2id), in PostgreSQL; every change is logged in `account_changes`. */
export class Accounts {
  // Verifying against a real hash for unknown users keeps login time from revealing which names exist.
  private readonly dummyHash = argon2.hash(randomUUID());

  constructor(private readonly pool: Pool) {}

  async createUser(input: NewUser, by: ChangeActor = SYSTEM): Promise<User> {
    validate(input);
    const weakness = passwordWeakness(input.password, [input.username]);
    if (weakness) throw new AccountError('weak-password', 'password', weakness);
    const passwordHash = await argon2.hash(input.password);
    return transaction(this.pool, async (client) => {
      let row: UserRow;
      try {
        ({ rows: [row] } = await client.query<UserRow>(
          `INSERT INTO users (id, username, password_hash, role, school_id, county_id) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
          [randomUUID(), input.username, passwordHash, input.role, input.schoolId ?? null, input.countyId],
        ));
      } catch (error) {
        if ((error as { code?: string }).code === '23505') throw new AccountError('username-taken', 'username', `username ${input.username} is taken`);
        throw error;
      }
      await record(client, by, row, 'created', bindingOf(row));
      return toUser(row);
    });
  }

  /** The user, when the password matches and the account is enabled; otherwise null. */
  async verifyLogin(username: string, password: string): Promise<AccountSession | null> {
    const { rows } = await this.pool.query<UserRow>('SELECT * FROM users WHERE lower(username) = lower($1)', [username]);
    const row = rows[0];
    const matches = await argon2.verify(row?.password_hash ?? (await this.dummyHash), password);
    return row && matches && !row.disabled ? toSession(row) : null;
  }

  /** The account as it is now (one primary-key lookup): what every request's token is checked against. */
  async sessionOf(id: string): Promise<AccountSession | null> {
    const { rows } = await this.pool.query<UserRow>('SELECT * FROM users WHERE id = $1', [id]);
    return rows[0] ? toSession(rows[0]) : null;
  }

  async findById(id: string): Promise<User | null> {
    const { rows } = await this.pool.query<UserRow>('SELECT * FROM users WHERE id = $1', [id]);
    return rows[0] ? toUser(rows[0]) : null;
  }

  /** Accounts in `scope`, by username. */
  async listUsers(scope: UserScope, page: PageRequest): Promise<Page<User>> {
    const after = page.cursor === undefined ? null : decodeCursor(page.cursor);
    const { rows } = await this.pool.query<UserRow>(
      `SELECT * FROM users
        WHERE ($1::text IS NULL OR county_id = $1) AND ($2::uuid IS NULL OR school_id = $2) AND ($3::text IS NULL OR role = $3)
          AND ($4::text IS NULL OR lower(username) > $4)
        ORDER BY lower(username) LIMIT $5`,
      [scope.countyId ?? null, scope.schoolId ?? null, scope.role ?? null, after, page.limit + 1],
    );
    const items = rows.slice(0, page.limit).map(toUser);
    return { items, nextCursor: rows.length > page.limit ? encodeCursor(items[items.length - 1].username.toLowerCase()) : null };
  }

  /**
   * Applies `patch` under the row's lock. `allow(before, after)` throws when the actor may not make
   * this change (it sees both, so a binding cannot be moved out of, or into, what the actor manages).
   * Any change moves the token version on: the account's tokens stop at once, on every replica.
   */
  async updateUser(id: string, patch: UserPatch, by: ChangeActor, allow: (before: User, after: User) => void): Promise<User> {
    return transaction(this.pool, async (client) => {
      const { rows } = await client.query<UserRow>('SELECT * FROM users WHERE id = $1 FOR UPDATE', [id]);
      if (!rows[0]) throw new AccountError('unknown-user', 'id', `no user ${id}`);
      const before = toUser(rows[0]);
      const role = patch.role ?? before.role;
      const schoolId = patch.schoolId === undefined ? before.schoolId : (patch.schoolId ?? undefined);
      const after: User = { id, username: before.username, role, ...(schoolId ? { schoolId } : {}), countyId: patch.countyId ?? before.countyId, disabled: patch.disabled ?? before.disabled };
      validate({ username: after.username, role: after.role, schoolId: after.schoolId, countyId: after.countyId });
      allow(before, after);
      const changed = Object.fromEntries(
        (['role', 'schoolId', 'countyId', 'disabled'] as const)
          .filter((field) => before[field] !== after[field])
          .map((field) => [field, { from: before[field] ?? null, to: after[field] ?? null }]),
      );
      if (Object.keys(changed).length === 0) return before;
      const { rows: updated } = await client.query<UserRow>(
        `UPDATE users SET role = $2, school_id = $3, county_id = $4, disabled = $5, token_version = token_version + 1 WHERE id = $1 RETURNING *`,
        [id, after.role, after.schoolId ?? null, after.countyId, after.disabled],
      );
      await record(client, by, updated[0], 'updated', changed);
      return toUser(updated[0]);
    });
  }

  /** One's own password: the current one must match; every token issued so far stops. */
  async changePassword(id: string, currentPassword: string, newPassword: string): Promise<AccountSession> {
    const session = await this.sessionOf(id);
    if (!session || session.disabled) throw new AccountError('unknown-user', 'id', `no user ${id}`);
    const { rows } = await this.pool.query<UserRow>('SELECT password_hash FROM users WHERE id = $1', [id]);
    if (!(await argon2.verify(rows[0].password_hash, currentPassword))) throw new AccountError('wrong-password', 'currentPassword', 'the current password does not match');
    const weakness = passwordWeakness(newPassword, [session.username]);
    if (weakness) throw new AccountError('weak-password', 'newPassword', weakness.replace(/^password/, 'newPassword'));
    const passwordHash = await argon2.hash(newPassword);
    return transaction(this.pool, async (client) => {
      const { rows: updated } = await client.query<UserRow>('UPDATE users SET password_hash = $2, token_version = token_version + 1 WHERE id = $1 RETURNING *', [id, passwordHash]);
      await record(client, { id, username: session.username }, updated[0], 'password-changed', {});
      return toSession(updated[0]);
    });
  }

  /**
   * The log of account changes, oldest first; `countyId` narrows it to the changes of that
   * county's accounts, an account moved out of it included.
   */
  async listChanges(scope: { countyId?: string }, page: PageRequest): Promise<Page<AccountChange>> {
    const after = page.cursor === undefined ? null : decodeCursor(page.cursor);
    if (after !== null && !/^\d{1,19}$/.test(after)) throw new AccountError('invalid-cursor', 'cursor', 'cursor: not one this API gave out');
    const { rows } = await this.pool.query<ChangeRow>(
      `SELECT * FROM account_changes
        WHERE ($1::text IS NULL OR county_id = $1 OR details #>> '{countyId,from}' = $1) AND ($2::bigint IS NULL OR id > $2)
        ORDER BY id LIMIT $3`,
      [scope.countyId ?? null, after, page.limit + 1],
    );
    const items = rows.slice(0, page.limit).map(toChange);
    return { items, nextCursor: rows.length > page.limit ? encodeCursor(items[items.length - 1].id) : null };
  }

  async countPlatformAdmins(): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM users WHERE role = 'platform_admin'");
    return rows[0].n;
  }

  /**
   * The demo accounts of API.md, all with password `demo1234` (which the password policy refuses
   * everywhere else); accounts that already exist are left as they are, so every start of the
   * demo may call this. Only for demo mode.
   */
  async seedDemoAccounts(countyId: string, schools: readonly DemoSchool[]): Promise<User[]> {
    const wanted: Omit<NewUser, 'password'>[] = [
      { username: 'admin', role: 'platform_admin', countyId },
      { username: 'county.edu', role: 'county_education', countyId },
      { username: 'county.league', role: 'county_youth_league', countyId },
      { username: 'auditor', role: 'auditor', countyId },
      ...schools.flatMap((school): Omit<NewUser, 'password'>[] => [
        { username: `school.${school.code}.admin`, role: 'school_admin', schoolId: school.schoolId, countyId },
        { username: `school.${school.code}.staff`, role: 'school_staff', schoolId: school.schoolId, countyId },
      ]),
    ];
    const passwordHash = await argon2.hash(DEMO_PASSWORD);
    await transaction(this.pool, async (client) => {
      for (const user of wanted) {
        validate(user);
        const { rows } = await client.query<UserRow>(
          `INSERT INTO users (id, username, password_hash, role, school_id, county_id) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT DO NOTHING RETURNING *`,
          [randomUUID(), user.username, passwordHash, user.role, user.schoolId ?? null, user.countyId],
        );
        if (rows[0]) await record(client, { id: null, username: 'demo-seed' }, rows[0], 'created', bindingOf(rows[0]));
      }
    });
    const { rows } = await this.pool.query<UserRow>('SELECT * FROM users WHERE username = ANY($1) ORDER BY username', [wanted.map((user) => user.username)]);
    return rows.map(toUser);
  }
}

function validate(input: Omit<NewUser, 'password'>): void {
  if (!USERNAME.test(input.username)) {
    throw new AccountError('invalid-username', 'username', 'username: 2–64 letters, digits, dots, dashes or underscores');
  }
  if (!ROLES.includes(input.role)) throw new AccountError('unknown-role', 'role', `role: one of ${ROLES.join(', ')}`);
  if (isSchoolRole(input.role) && !input.schoolId) {
    throw new AccountError('school-required', 'schoolId', `schoolId: required for ${input.role}`);
  }
  if (!isSchoolRole(input.role) && input.schoolId) {
    throw new AccountError('school-not-allowed', 'schoolId', `schoolId: only school roles belong to a school`);
  }
}

function record(client: PoolClient, by: ChangeActor, user: UserRow, change: AccountChange['change'], details: Record<string, unknown>): Promise<unknown> {
  return client.query(
    `INSERT INTO account_changes (at, actor_id, actor_username, user_id, username, county_id, change, details) VALUES (now(), $1, $2, $3, $4, $5, $6, $7)`,
    [by.id, by.username, user.id, user.username, user.county_id, change, JSON.stringify(details)],
  );
}

const bindingOf = (row: UserRow) => ({ role: row.role, schoolId: row.school_id, countyId: row.county_id });

const encodeCursor = (value: string): string => Buffer.from(value, 'utf8').toString('base64url');

function decodeCursor(cursor: string): string {
  const value = Buffer.from(cursor, 'base64url').toString('utf8');
  if (value === '' || encodeCursor(value) !== cursor) throw new AccountError('invalid-cursor', 'cursor', 'cursor: not one this API gave out');
  return value;
}

function toUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    role: row.role,
    ...(row.school_id ? { schoolId: row.school_id } : {}),
    countyId: row.county_id,
    disabled: row.disabled,
  };
}

function toSession(row: UserRow): AccountSession {
  return { ...toUser(row), tokenVersion: row.token_version };
}

function toChange(row: ChangeRow): AccountChange {
  return {
    id: String(row.id),
    at: row.at.toISOString(),
    actorId: row.actor_id,
    actorUsername: row.actor_username,
    userId: row.user_id,
    username: row.username,
    countyId: row.county_id,
    change: row.change,
    details: row.details,
  };
}
