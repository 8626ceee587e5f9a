import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppProcess, SpawnOptions } from '@lbc/testing';
import { spawnApp } from '@lbc/testing';

/** A fresh DATA_DIR; embedded PostgreSQL runs as a user of its own, which must reach the folder. */
export function newDataDir(prefix: string): string {
  const dataDir = mkdtempSync(join(tmpdir(), `lbc-${prefix}-`));
  chmodSync(dataDir, 0o755);
  return dataDir;
}

/**
 * `npm start` run again and again on one DATA_DIR, as a restart does, for one spec file: the
 * folder made before its tests; every platform still running stopped and the folder removed after.
 */
export function platformRuns(prefix: string, env: { readonly DEMO_CHILDREN: string }): { start(options?: SpawnOptions): AppProcess; dataDir(): string } {
  let dataDir = '';
  const started: AppProcess[] = [];
  beforeAll(() => {
    dataDir = newDataDir(prefix);
  });
  afterAll(async () => {
    for (const platform of started) if (platform.process.exitCode === null) platform.process.kill('SIGTERM');
    await Promise.all(started.map((platform) => platform.exited));
    rmSync(dataDir, { recursive: true, force: true });
  });
  return {
    start: (options = {}) => {
      const platform = spawnApp('apps/platform/src/main.ts', [], { DATA_DIR: dataDir, PORT: '0', ...env }, options);
      started.push(platform);
      return platform;
    },
    dataDir: () => dataDir,
  };
}

/** The embedded server of a running platform, as `user` (its port is in postmaster.pid; loopback only, fixed passwords). */
export function embeddedDatabaseUrl(dataDir: string, user: 'postgres' | 'lbc_app'): string {
  const port = readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[3];
  return `postgres://${user}:${user}@127.0.0.1:${port}/lbc`;
}

export interface Session {
  /** Authorization and content type, for JSON requests. */
  readonly headers: Record<string, string>;
  readonly userId: string;
  readonly schoolId: string;
  readonly countyId: string;
}

/** Signs in a demo account (password demo1234). */
export async function signIn(url: string, username: string): Promise<Session> {
  const response = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'demo1234' }),
  });
  if (response.status !== 200) throw new Error(`login of ${username}: ${response.status} ${await response.text()}`);
  const { accessToken, user } = (await response.json()) as { accessToken: string; user: { id: string; schoolId: string; countyId: string } };
  return { headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' }, userId: user.id, schoolId: user.schoolId, countyId: user.countyId };
}

/** Records one event through the API and answers the HTTP status. */
export async function recordEvent(url: string, session: Session, event: Record<string, unknown>): Promise<number> {
  const response = await fetch(`${url}/api/v1/events`, { method: 'POST', headers: session.headers, body: JSON.stringify({ eventId: randomUUID(), ...event }) });
  return response.status;
}

/** A left-behind child of the session's school, with personal data. */
export function childRegistered(session: Session, childId: string, name: string): Record<string, unknown> {
  return {
    type: 'ChildRegistered',
    childId,
    occurredAt: '2025-09-02',
    data: {
      schoolId: session.schoolId,
      grade: 3,
      className: '3(2)',
      gender: 'female',
      birthMonth: '2016-05',
      category: 'left-behind',
      parentsAway: 'both',
      guardianType: 'grandparent',
      personal: { name, guardian: { name: '王奶奶', relation: 'grandmother', phone: '13800000000' } },
    },
  };
}

/** The school's count of children in care on 2025-10-01, from the read models. */
export async function childrenInCare(url: string, session: Session): Promise<number> {
  const response = await fetch(`${url}/api/v1/read-models/children-in-care?scope=school:${session.schoolId}&asOf=2025-10-01`, { headers: session.headers });
  if (response.status !== 200) throw new Error(`children-in-care: ${response.status}`);
  return ((await response.json()) as { childrenInCare: number }).childrenInCare;
}
