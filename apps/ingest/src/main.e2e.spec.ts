import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnApp } from '@lbc/testing';

const run = (args: string[], env: Record<string, string>) => spawnApp('apps/ingest/src/main.ts', args, env);

describe('apps/ingest main', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'lbc-ingest-app-'));
    // Run as root, embedded PostgreSQL runs as a user of its own, which must reach the folder.
    chmodSync(dataDir, 0o755);
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts in demo mode on an embedded PostgreSQL, seeds once, and keeps its secrets across restarts', async () => {
    const first = run([], { DATA_DIR: dataDir, PORT: '0', DEMO_CHILDREN: '0' });
    const url = await first.listening('Ingest API');
    expect(first.output()).toMatch(/Demo mode: accounts \(password demo1234\): admin \(platform_admin\).*school\.xinhua\.staff \(school_staff\)/);
    const login = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'school.xinhua.staff', password: 'demo1234' }),
    });
    expect(login.status).toBe(200);
    const { accessToken, user } = (await login.json()) as { accessToken: string; user: { schoolId: string } };
    // The read-side API is mounted too; no projector runs beside this app, so its read models are empty.
    const auth = { headers: { authorization: `Bearer ${accessToken}` } };
    const children = await fetch(`${url}/api/v1/schools/${user.schoolId}/children`, auth);
    expect({ status: children.status, items: ((await children.json()) as { items: unknown[] }).items }).toEqual({ status: 200, items: [] });
    const figures = await fetch(`${url}/api/v1/stats?scope=school:${user.schoolId}`, auth);
    expect({ status: figures.status, code: ((await figures.json()) as { code: string }).code }).toEqual({ status: 404, code: 'unknown-scope' });
    first.process.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = run([], { DATA_DIR: dataDir, PORT: '0', DEMO_CHILDREN: '0' });
    const again = await second.listening('Ingest API');
    const file = await fetch(`${again}/api/v1/children/${user.schoolId}`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(file.status).toBe(404);
    second.process.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  it('admin:create makes the first platform admin outside demo mode', async () => {
    const env = {
      DATA_DIR: dataDir,
      DEMO_MODE: 'false',
      // The master key that sealed this data directory's key-encryption keys (the demo's, above).
      MASTER_KEY: (JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8')) as { masterKey: string }).masterKey,
      JWT_SECRET: 'a-secret-of-at-least-thirty-two-characters',
    };
    const created = run(['admin:create', '--username', 'root', '--county', 'wangcang', '--password', 'a long secret'], env);
    expect(await created.exited).toBe(0);
    expect(created.output()).toMatch(/created platform_admin root/);
    const refused = run(['admin:create', '--username', 'root', '--county', 'wangcang', '--password', 'a long secret'], env);
    expect(await refused.exited).toBe(1);
    expect(refused.output()).toMatch(/refused: username root is taken/);
  });
});
