import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { Client } from 'pg';
import type { AppProcess } from '@lbc/testing';
import { expectEventually, spawnApp } from '@lbc/testing';
import { childRegistered, childrenInCare, embeddedDatabaseUrl, newDataDir, recordEvent, signIn } from './testing/demo-platform';

describe('npm start connects as a runtime role that cannot change or delete events', () => {
  let dataDir: string;
  let platform: AppProcess;
  let url: string;
  const connect = async (user: 'postgres' | 'lbc_app') => {
    const client = new Client({ connectionString: embeddedDatabaseUrl(dataDir, user) });
    await client.connect();
    return client;
  };

  beforeAll(async () => {
    dataDir = newDataDir('runtime-role');
    platform = spawnApp('apps/platform/src/main.ts', [], { DATA_DIR: dataDir, PORT: '0', DEMO_CHILDREN: '0' });
    url = await platform.listening('Platform');
  });

  afterAll(async () => {
    platform.process.kill('SIGTERM');
    await platform.exited;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('works as that role: append, vault, relay checkpoint, projector, read models', async () => {
    const session = await signIn(url, 'school.xinhua.staff');
    const before = await childrenInCare(url, session);
    expect(await recordEvent(url, session, childRegistered(session, randomUUID(), '王小花'))).toBe(201);
    await expectEventually(async () => expect(await childrenInCare(url, session)).toBe(before + 1));

    const owner = await connect('postgres');
    try {
      const { rows } = await owner.query<{ usename: string }>(
        "SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = 'lbc' AND backend_type = 'client backend' AND pid <> pg_backend_pid()",
      );
      expect(rows).toEqual([{ usename: 'lbc_app' }]);
      const { rows: checkpoints } = await owner.query<{ n: number }>('SELECT count(*)::int AS n FROM relay_checkpoints');
      expect(checkpoints[0].n).toBeGreaterThan(0);
    } finally {
      await owner.end();
    }
  });

  it.each([
    ['UPDATE', "UPDATE event_store.events SET type = 'Forged'"],
    ['DELETE', 'DELETE FROM event_store.events'],
    ['TRUNCATE', 'TRUNCATE event_store.events'],
    ['session_replication_role', 'SET session_replication_role = replica'],
    ['DISABLE TRIGGER', 'ALTER TABLE event_store.events DISABLE TRIGGER events_append_only'],
    ['DROP TRIGGER', 'DROP TRIGGER events_append_only ON event_store.events'],
    ['replacing the append function', 'CREATE OR REPLACE FUNCTION event_store.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$'],
    ['taking ownership', 'ALTER TABLE event_store.events OWNER TO lbc_app'],
  ])('refuses %s to that role', async (_what, statement) => {
    const runtime = await connect('lbc_app');
    try {
      await expect(runtime.query(statement)).rejects.toMatchObject({ code: expect.stringMatching(/^42501$/) });
      const { rows } = await runtime.query<{ n: number }>('SELECT count(*)::int AS n FROM event_store.events');
      expect(rows[0].n).toBeGreaterThan(0);
    } finally {
      await runtime.end();
    }
  });
});
