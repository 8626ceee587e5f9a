import { Client } from 'pg';
import { countyDateOf } from '@lbc/domain';
import type { AppProcess } from '@lbc/testing';
import { embeddedDatabaseUrl, platformRuns, signIn } from './testing/demo-platform';

// `npm start` seeds 3,000 children (DEMO_CHILDREN's default); 600 here keep the test's start short
// with the same schools with accounts, the same small ones and the same history.
const CHILDREN = '600';

describe('the demo county of npm start', () => {
  const { start, dataDir } = platformRuns('demo', { DEMO_CHILDREN: CHILDREN });
  const stop = async (platform: AppProcess) => {
    platform.process.kill('SIGTERM');
    expect(await platform.exited).toBe(0);
  };
  const eventCount = async () => {
    const database = new Client({ connectionString: embeddedDatabaseUrl(dataDir(), 'postgres') });
    await database.connect();
    try {
      return (await database.query<{ count: number }>('SELECT count(*)::int AS count FROM event_store.events')).rows[0].count;
    } finally {
      await database.end();
    }
  };

  it('is seeded on the first start through the command path, with a progress line, and fills every tile; small schools are suppressed', async () => {
    const first = start();
    try {
      await seededAndFilled(first);
    } finally {
      // Stopped before the next start, pass or fail: two platforms on one DATA_DIR fight over its server.
      await stop(first);
    }
  }, 300_000);

  async function seededAndFilled(first: AppProcess): Promise<void> {
    const url = await first.listening('Platform');
    expect(first.output()).toMatch(/Demo county: seeding \d+ of (\d+) events \(100 %/);
    expect(first.output()).toMatch(/Demo mode: accounts \(password demo1234\): admin \(platform_admin\).*county\.edu \(county_education\).*school\.xinhua\.staff \(school_staff\)/);
    const recorded = Number(/Demo county: (\d+) events recorded/.exec(first.output())?.[1]);
    expect(await eventCount()).toBe(recorded);
    // Every event was recorded by the demo admin through the ingest's command path (sealed, chained).
    const edu = await signIn(url, 'county.edu');
    const stats = async () => {
      // Over the last year: a small county's term may hold no incident.
      const response = await fetch(`${url}/api/v1/stats?scope=county:wangcang&from=${countyDateOf(Date.now() - 365 * 86_400_000)}`, { headers: edu.headers });
      return (await response.json()) as { indicators: Record<string, unknown> };
    };
    // The projector catches up with the seed: the figures hold still.
    let figures = await stats();
    for (let waited = 0; waited < 120; waited++) {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const again = await stats();
      if (again.indicators['childrenInCare'] !== 0 && JSON.stringify(again.indicators) === JSON.stringify(figures.indicators)) break;
      figures = again;
    }
    const flat = (value: unknown, path: string): [string, unknown][] =>
      value !== null && typeof value === 'object' ? Object.entries(value).flatMap(([key, inner]) => flat(inner, `${path}.${key}`)) : [[path, value]];
    // No figure missing, no count zero (a share may be 0: none of few in time; no carer should be over the limit; few drop out).
    const empty = flat(figures.indicators, 'indicators').filter(([path, value]) => value === null || (value === 0 && !/withinDeadline|overLimit|none$|dropoutRate|returnedAfterDropout/.test(path)));
    expect(empty).toEqual([]);
    const breakdown = await fetch(`${url}/api/v1/stats/breakdown?scope=county:wangcang&by=school&indicator=childrenInCare`, { headers: edu.headers });
    const rows = ((await breakdown.json()) as { rows: { name: string; value: number | string }[] }).rows;
    // The village schools registered 3 and 4 children: at least one is still a small cell, and another cell is hidden with it.
    const suppressed = rows.filter((row) => row.value === '*').map((row) => row.name);
    expect(suppressed.filter((name) => name === '白水镇中心小学' || name === '双桥村小').length).toBeGreaterThan(0);
    expect(suppressed.length).toBeGreaterThanOrEqual(2);
    expect(rows.filter((row) => typeof row.value === 'number' && row.value >= 5).length).toBeGreaterThan(0);
  }

  it('is found again on a later start: nothing is recorded twice', async () => {
    const before = await (async () => {
      const again = start();
      await again.listening('Platform');
      const count = await eventCount();
      expect(again.output()).not.toMatch(/Demo county: seeding/);
      expect(again.output()).toMatch(/school\.xinhua\.staff \(school_staff\)/);
      await stop(again);
      return count;
    })();
    const third = start();
    await third.listening('Platform');
    expect(await eventCount()).toBe(before);
    await stop(third);
  }, 180_000);
});
