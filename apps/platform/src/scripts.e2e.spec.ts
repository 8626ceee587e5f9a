import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { AppProcess } from '@lbc/testing';
import { openEmbeddedDatabase } from '@lbc/postgres';
import { expectEventually, spawnApp } from '@lbc/testing';
import { Client } from 'pg';
import { childRegistered, childrenInCare, newDataDir, recordEvent, signIn } from './testing/demo-platform';

/** README's scripts, each as `npm run …` runs it: no DATABASE_URL, the DATA_DIR `npm start` used. */
const SCRIPTS = {
  rebuild: ['apps/projector/src/main.ts', ['rebuild']],
  verify: ['apps/ingest/src/main.ts', ['verify']],
  'admin:create': ['apps/ingest/src/main.ts', ['admin:create', '--username', 'root', '--county', 'wangcang', '--password', 'a long secret']],
  'start:ingest': ['apps/ingest/src/main.ts', []],
} as const;

describe('README scripts on the embedded default, beside and after npm start', () => {
  let dataDir: string;
  let projected: number;
  const started: AppProcess[] = [];
  const run = (script: keyof typeof SCRIPTS) => {
    const [entry, args] = SCRIPTS[script];
    const child = spawnApp(entry, args, { DATA_DIR: dataDir, PORT: '0', DEMO_CHILDREN: '0' });
    started.push(child);
    return child;
  };
  const startPlatform = () => {
    const platform = spawnApp('apps/platform/src/main.ts', [], { DATA_DIR: dataDir, PORT: '0', DEMO_CHILDREN: '0' });
    started.push(platform);
    return platform;
  };
  const stop = async (app: AppProcess) => {
    app.process.kill('SIGTERM');
    expect(await app.exited).toBe(0);
  };

  beforeAll(() => {
    dataDir = newDataDir('scripts');
  });

  afterAll(async () => {
    for (const app of started) if (app.process.exitCode === null && app.process.signalCode === null) app.process.kill('SIGTERM');
    await Promise.all(started.map((app) => app.exited));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses each script in one line naming DATA_DIR while npm start runs on it, and the platform keeps serving', async () => {
    const platform = startPlatform();
    const url = await platform.listening('Platform');
    for (const script of Object.keys(SCRIPTS) as (keyof typeof SCRIPTS)[]) {
      const refused = run(script);
      expect({ script, code: await refused.exited }).toEqual({ script, code: 1 });
      expect(refused.output().trim().split('\n')).toEqual([expect.stringMatching(/^\w+: Invalid configuration: DATA_DIR: the embedded PostgreSQL in \S+ is in use by process \d+ \(npm start\?\); stop it first, or set DATABASE_URL/)]);
    }
    expect((await fetch(`${url}/health`)).status).toBe(200);
    const session = await signIn(url, 'school.xinhua.staff');
    const before = await childrenInCare(url, session);
    expect(await recordEvent(url, session, childRegistered(session, randomUUID(), '王小花'))).toBe(201);
    await expectEventually(async () => expect(await childrenInCare(url, session)).toBe(before + 1));
    projected = before + 1;
    await stop(platform);
  });

  it('rebuilds the read models npm start projected, verifies the record, creates an admin and serves the ingest API, each on the embedded PostgreSQL', async () => {
    const rebuild = run('rebuild');
    expect(await rebuild.exited).toBe(0);
    const [, events] = /rebuilt (\d+) events \(\d+ facts\) in [\d.]+ s: \d+ events\/s; swapped in/.exec(rebuild.output()) ?? [];
    expect(Number(events)).toBeGreaterThan(0);

    const verify = run('verify');
    expect(await verify.exited).toBe(0);
    expect(verify.output()).not.toMatch(/Error|at .*\.ts:\d+/);

    const admin = run('admin:create');
    expect(await admin.exited).toBe(0);
    expect(admin.output()).toMatch(/created platform_admin root/);

    const ingest = run('start:ingest');
    const ingestUrl = await ingest.listening('Ingest API');
    expect((await fetch(`${ingestUrl}/health`)).status).toBe(200);
    await stop(ingest);

    // The rebuilt read models serve the platform as its own did.
    const platform = startPlatform();
    const url = await platform.listening('Platform');
    expect(await childrenInCare(url, await signIn(url, 'school.xinhua.staff'))).toBe(projected);
    await stop(platform);
  });

  it('verify exits 1 naming the broken link once an event was rewritten in the embedded database', async () => {
    const database = await openEmbeddedDatabase(dataDir);
    try {
      const client = new Client({ connectionString: database.ownerUrl });
      await client.connect();
      try {
        // As the server's superuser past the append-only trigger: what an intruder with the disk could do.
        await client.query('BEGIN');
        await client.query('SET LOCAL session_replication_role = replica');
        const { rows } = await client.query<{ stream_id: string; revision: number }>(
          `UPDATE event_store.events SET data = data || '{"tampered": true}'::jsonb
            WHERE global_position = (SELECT max(global_position) FROM event_store.events WHERE stream_id LIKE 'child-%') RETURNING stream_id, revision`,
        );
        await client.query('COMMIT');
        expect(rows).toHaveLength(1);
      } finally {
        await client.end();
      }
    } finally {
      await database.stop();
    }
    const verify = run('verify');
    expect(await verify.exited).toBe(1);
    expect(verify.output()).toMatch(/child-/);
  });
});
