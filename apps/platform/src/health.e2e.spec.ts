import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { Client } from 'pg';
import type { AppProcess } from '@lbc/testing';
import { expectEventually, spawnApp } from '@lbc/testing';
import { childRegistered, childrenInCare, embeddedDatabaseUrl, newDataDir, recordEvent, signIn } from './testing/demo-platform';

describe('npm start: /health', () => {
  let dataDir: string;
  let platform: AppProcess;
  let url: string;
  const health = async (query = '') => {
    const response = await fetch(`${url}/health${query}`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  /** As the embedded server's superuser: what the platform's login may do. */
  const asSuperuser = async (sql: string) => {
    const client = new Client({ connectionString: embeddedDatabaseUrl(dataDir, 'postgres') });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    dataDir = newDataDir('health');
    platform = spawnApp('apps/platform/src/main.ts', [], { DATA_DIR: dataDir, PORT: '0', DEMO_CHILDREN: '0' });
    url = await platform.listening('Platform');
  });

  afterAll(async () => {
    await asSuperuser('ALTER ROLE lbc_app LOGIN').catch(() => undefined);
    platform.process.kill('SIGTERM');
    await platform.exited;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reports the in-process projector lag, back to 0 once an event is projected', async () => {
    expect(await health()).toMatchObject({
      status: 200,
      body: { status: 'ok', component: 'platform', dependencies: { database: 'up', eventStore: 'up' }, lag: expect.any(Number) },
    });
    expect((await health()).body).not.toHaveProperty('dependencies.kafka');
    const session = await signIn(url, 'school.xinhua.staff');
    const before = await childrenInCare(url, session);
    expect(await recordEvent(url, session, childRegistered(session, randomUUID(), '王小花'))).toBe(201);
    await expectEventually(async () => expect(await childrenInCare(url, session)).toBe(before + 1));
    await expectEventually(async () => expect((await health()).body.lag).toBe(0));
  });

  it('is not ready while the database refuses the platform, naming it, stays alive, and recovers with it', async () => {
    // The platform's login may no longer connect, and every connection it holds is cut.
    await asSuperuser(`ALTER ROLE lbc_app NOLOGIN; SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'lbc_app'`);
    await expectEventually(
      async () =>
        expect(await health()).toEqual({
          status: 503,
          body: { status: 'unavailable', component: 'platform', dependencies: { database: 'down', eventStore: 'down' }, lag: null },
        }),
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(await health('?probe=live')).toEqual({ status: 200, body: { status: 'ok', component: 'platform' } });

    await asSuperuser('ALTER ROLE lbc_app LOGIN');
    await expectEventually(async () => expect(await health()).toMatchObject({ status: 200, body: { status: 'ok', dependencies: { database: 'up', eventStore: 'up' } } }), {
      timeoutMs: 30_000,
      intervalMs: 250,
    });
    // Writes flow into the read models again.
    const session = await signIn(url, 'school.xinhua.staff');
    const before = await childrenInCare(url, session);
    expect(await recordEvent(url, session, childRegistered(session, randomUUID(), '李小明'))).toBe(201);
    await expectEventually(async () => expect(await childrenInCare(url, session)).toBe(before + 1), { timeoutMs: 30_000 });
    await expectEventually(async () => expect((await health()).body.lag).toBe(0));
  });

  it('refuses an unknown probe as 400 naming the parameter', async () => {
    expect(await health('?probe=deep')).toMatchObject({ status: 400, body: { code: 'invalid-value', field: 'query.probe' } });
  });
});
