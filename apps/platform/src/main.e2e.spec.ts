import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppProcess } from '@lbc/testing';
import { expectEventually, spawnApp } from '@lbc/testing';

interface Session {
  readonly accessToken: string;
  readonly user: { readonly schoolId: string };
}

describe('npm start: the whole platform in one process', () => {
  let dataDir: string;
  let platform: AppProcess;
  let url: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'lbc-platform-'));
    // Embedded PostgreSQL runs as a user of its own, which must reach the folder.
    chmodSync(dataDir, 0o755);
    platform = spawnApp('apps/platform/src/main.ts', [], { DATA_DIR: dataDir, PORT: '0' });
    url = await platform.listening('Platform');
  });

  afterAll(async () => {
    platform.process.kill('SIGTERM');
    await platform.exited;
    rmSync(dataDir, { recursive: true, force: true });
  });

  const login = async (username: string): Promise<Session> => {
    const response = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: 'demo1234' }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as Session;
  };

  it('prints the demo accounts and where it listens', () => {
    expect(platform.output()).toMatch(/Demo mode: accounts \(password demo1234\): admin \(platform_admin\)/);
    expect(url).toMatch(/^http:\/\//);
  });

  it('carries a school event through store, relay, in-process bus and projector into the read models', async () => {
    const { accessToken, user } = await login('school.xinhua.staff');
    const auth = { authorization: `Bearer ${accessToken}` };
    const childrenInCare = async () => {
      const response = await fetch(`${url}/api/v1/read-models/children-in-care?scope=school:${user.schoolId}&asOf=2025-10-01`, { headers: auth });
      expect(response.status).toBe(200);
      return ((await response.json()) as { childrenInCare: number }).childrenInCare;
    };
    const before = await childrenInCare();

    const recorded = await fetch(`${url}/api/v1/events`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        eventId: randomUUID(),
        type: 'ChildRegistered',
        childId: randomUUID(),
        occurredAt: '2025-09-02',
        data: {
          schoolId: user.schoolId,
          grade: 3,
          className: '3(2)',
          gender: 'female',
          birthMonth: '2016-05',
          category: 'left-behind',
          parentsAway: 'both',
          guardianType: 'grandparent',
          personal: { name: '王小花', guardian: { name: '王奶奶', relation: 'grandmother', phone: '13800000000' } },
        },
      }),
    });
    expect(recorded.status).toBe(201);
    await expectEventually(async () => expect(await childrenInCare()).toBe(before + 1));
  });

  it('refuses a read-model query PostgreSQL could not answer as 400 naming the parameter, never 500', async () => {
    const { accessToken } = await login('admin');
    for (const [query, field] of [
      ['asOf=0000-01-01', 'asOf'],
      ['recordedBy=2025-10-01T04%3A31%3A56%2B18%3A56', 'recordedBy'],
      ['x=%00', 'query.x'],
    ]) {
      const response = await fetch(`${url}/api/v1/read-models/children-in-care?scope=county:wangcang&${query}`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      expect({ query, status: response.status, type: response.headers.get('content-type') }).toEqual({
        query,
        status: 400,
        type: expect.stringMatching(/^application\/problem\+json/),
      });
      expect(((await response.json()) as { field?: string }).field).toBe(field);
    }
  });

  it('serves the read models only to signed-in users', async () => {
    const response = await fetch(`${url}/api/v1/read-models/children-in-care?scope=county:wangcang`);
    expect(response.status).toBe(401);
  });
});
