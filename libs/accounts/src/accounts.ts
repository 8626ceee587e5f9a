import * as argon2 from 'argon2';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { runMigrations } from '@lbc/postgres';
import type { NewUser, User } from './account';
import { AccountError } from './account';
import { CreateUsers1735700000000 } from './migrations/1735700000000-create-users.migration';
import type { Role } from './roles';
import { isSchoolRole, ROLES } from './roles';

export const DEMO_PASSWORD = 'demo1234';
const MIN_PASSWORD_LENGTH = 8;
const USERNAME = /^[a-z0-9][a-z0-9._-]{1,63}$/i;

interface UserRow {
  id: string;
  username: string;
  role: Role;
  school_id: string | null;
  county_id: string;
  disabled: boolean;
  password_hash: string;
}

/** A demo school whose accounts `school.<code>.admin` and `school.<code>.staff` are seeded. */
export interface DemoSchool {
  readonly code: string;
  readonly schoolId: string;
}

export function migrateAccounts(url: string): Promise<void> {
  return runMigrations(url, 'accounts_migrations', [CreateUsers1735700000000]);
}

/** Users and their passwords (argon2id), in PostgreSQL. */
export class Accounts {
  // Verifying against a real hash for unknown users keeps login time from revealing which names exist.
  private readonly dummyHash = argon2.hash(randomUUID());

  constructor(private readonly pool: Pool) {}

  async createUser(input: NewUser): Promise<User> {
    validate(input);
    const id = randomUUID();
    const passwordHash = await argon2.hash(input.password);
    try {
      const { rows } = await this.pool.query<UserRow>(
        `INSERT INTO users (id, username, password_hash, role, school_id, county_id) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
        [id, input.username, passwordHash, input.role, input.schoolId ?? null, input.countyId],
      );
      return toUser(rows[0]);
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        throw new AccountError('username-taken', 'username', `username ${input.username} is taken`);
      }
      throw error;
    }
  }

  /** The user, when the password matches and the account is enabled; otherwise null. */
  async verifyLogin(username: string, password: string): Promise<User | null> {
    const { rows } = await this.pool.query<UserRow>('SELECT * FROM users WHERE lower(username) = lower($1)', [username]);
    const row = rows[0];
    const matches = await argon2.verify(row?.password_hash ?? (await this.dummyHash), password);
    return row && matches && !row.disabled ? toUser(row) : null;
  }

  async findById(id: string): Promise<User | null> {
    const { rows } = await this.pool.query<UserRow>('SELECT * FROM users WHERE id = $1', [id]);
    return rows[0] ? toUser(rows[0]) : null;
  }

  async countPlatformAdmins(): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM users WHERE role = 'platform_admin'");
    return rows[0].n;
  }

  /**
   * The demo accounts of API.md, all with password `demo1234`; accounts that already exist are
   * left as they are, so every start of the demo may call this. Only for demo mode.
   */
  async seedDemoAccounts(countyId: string, schools: readonly DemoSchool[]): Promise<User[]> {
    const roles: Omit<NewUser, 'password'>[] = [
      { username: 'admin', role: 'platform_admin', countyId },
      { username: 'county.edu', role: 'county_education', countyId },
      { username: 'county.league', role: 'county_youth_league', countyId },
      { username: 'auditor', role: 'auditor', countyId },
      ...schools.flatMap((school): Omit<NewUser, 'password'>[] => [
        { username: `school.${school.code}.admin`, role: 'school_admin', schoolId: school.schoolId, countyId },
        { username: `school.${school.code}.staff`, role: 'school_staff', schoolId: school.schoolId, countyId },
      ]),
    ];
    const wanted = roles.map((user): NewUser => ({ ...user, password: DEMO_PASSWORD }));
    const passwordHash = await argon2.hash(DEMO_PASSWORD);
    for (const user of wanted) {
      validate(user);
      await this.pool.query(
        `INSERT INTO users (id, username, password_hash, role, school_id, county_id) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT DO NOTHING`,
        [randomUUID(), user.username, passwordHash, user.role, user.schoolId ?? null, user.countyId],
      );
    }
    const { rows } = await this.pool.query<UserRow>('SELECT * FROM users WHERE username = ANY($1) ORDER BY username', [
      wanted.map((user) => user.username),
    ]);
    return rows.map(toUser);
  }
}

function validate(input: NewUser): void {
  if (!USERNAME.test(input.username)) {
    throw new AccountError('invalid-username', 'username', 'username: 2–64 letters, digits, dots, dashes or underscores');
  }
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    throw new AccountError('weak-password', 'password', `password: at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  if (!ROLES.includes(input.role)) throw new AccountError('unknown-role', 'role', `role: one of ${ROLES.join(', ')}`);
  if (isSchoolRole(input.role) && !input.schoolId) {
    throw new AccountError('school-required', 'schoolId', `schoolId: required for ${input.role}`);
  }
  if (!isSchoolRole(input.role) && input.schoolId) {
    throw new AccountError('school-not-allowed', 'schoolId', `schoolId: only school roles belong to a school`);
  }
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
