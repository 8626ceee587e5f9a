import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { AppProcess } from '@lbc/testing';
import { expectEventually, spawnApp } from '@lbc/testing';

describe('npm start connects as a runtime role that cannot change or delete events', () => {
  let dataDir: string;
  let platform: AppProcess;
  let url: string;
  let port: string;
  const connect = async (user: string, password: string) => {
    const client = new Client({ connectionString: `postgres://${user}:${password}@127.0.0.1:${port}/lbc` });
    await client.connect();
    return client;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'lbc-runtime-role-'));
    // Embedded PostgreSQL runs as a user of its own, which must reach the folder.
    chmodSync(dataDir, 0o755);
    platform = spawnApp('apps/platform/src/main.ts', [], { DATA_DIR: dataDir, PORT: '0' });
    url = await platform.listening('Platform');
    port = readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[3];
  });

  afterAll(async () => {
    platform.process.kill('SIGTERM');
    await platform.exited;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('works as that role: append, vault, relay checkpoint, projector, read models', async () => {
    const login = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'school.xinhua.staff', password: 'demo1234' }),
    });
    const { accessToken, user } = (await login.json()) as { accessToken: string; user: { schoolId: string } };
    const auth = { authorization: `Bearer ${accessToken}` };
    const childrenInCare = async () => {
      const response = await fetch(`${url}/api/v1/read-models/children-in-care?scope=school:${user.schoolId}&asOf=2025-10-01`, { headers: auth });
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

    const owner = await connect('postgres', 'postgres');
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
    const runtime = await connect('lbc_app', 'lbc_app');
    try {
      await expect(runtime.query(statement)).rejects.toMatchObject({ code: expect.stringMatching(/^42501$/) });
      const { rows } = await runtime.query<{ n: number }>('SELECT count(*)::int AS n FROM event_store.events');
      expect(rows[0].n).toBeGreaterThan(0);
    } finally {
      await runtime.end();
    }
  });
});
