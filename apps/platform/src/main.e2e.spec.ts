import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { AppProcess } from '@lbc/testing';
import { expectEventually, spawnApp } from '@lbc/testing';
import { childRegistered, childrenInCare, newDataDir, recordEvent, signIn } from './testing/demo-platform';

describe('npm start: the whole platform in one process', () => {
  let dataDir: string;
  let platform: AppProcess;
  let url: string;

  beforeAll(async () => {
    dataDir = newDataDir('platform');
    platform = spawnApp('apps/platform/src/main.ts', [], { DATA_DIR: dataDir, PORT: '0', DEMO_CHILDREN: '0' });
    url = await platform.listening('Platform');
  });

  afterAll(async () => {
    platform.process.kill('SIGTERM');
    await platform.exited;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints the demo accounts and where it listens', () => {
    expect(platform.output()).toMatch(/Demo mode: accounts \(password demo1234\): admin \(platform_admin\)/);
    expect(url).toMatch(/^http:\/\//);
  });

  it('carries a school event through store, relay, in-process bus and projector into the read models', async () => {
    const session = await signIn(url, 'school.xinhua.staff');
    const before = await childrenInCare(url, session);
    expect(await recordEvent(url, session, childRegistered(session, randomUUID(), '王小花'))).toBe(201);
    await expectEventually(async () => expect(await childrenInCare(url, session)).toBe(before + 1));
  });

  it('serves the county statistics of the demo county to its county role, with the freshness of the read models', async () => {
    const session = await signIn(url, 'county.edu');
    const response = await fetch(`${url}/api/v1/stats?scope=county:${session.countyId}&asOf=2025-10-01`, { headers: session.headers });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { dataAsOf: string | null; suppressed: boolean; indicators: { childrenInCare: number } };
    expect(body).toMatchObject({ suppressed: false, indicators: { childrenInCare: expect.any(Number) } });
    expect(Date.parse(body.dataAsOf ?? '')).not.toBeNaN();
    const csv = await fetch(`${url}/api/v1/stats?scope=county:${session.countyId}&asOf=2025-10-01&format=csv`, { headers: session.headers });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(await csv.text()).toContain(`childrenInCare,${body.indicators.childrenInCare}`);
  });

  it('refuses a read-model query PostgreSQL could not answer as 400 naming the parameter, never 500', async () => {
    const session = await signIn(url, 'admin');
    for (const [query, field] of [
      ['asOf=0000-01-01', 'query.asOf'],
      ['recordedBy=2025-10-01T04%3A31%3A56%2B18%3A56', 'query.recordedBy'],
      ['x=%00', 'query.x'],
    ]) {
      const response = await fetch(`${url}/api/v1/read-models/children-in-care?scope=county:wangcang&${query}`, { headers: session.headers });
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
