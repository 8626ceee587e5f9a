import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Pool } from 'pg';
import pino from 'pino';
import { Accounts } from '@lbc/accounts';
import type { EventStore } from '@lbc/event-store';
import { createPostgresEventStore } from '@lbc/event-store';
import { InProcessBus } from '@lbc/messaging';
import { createPersonalDataVault } from '@lbc/personal-data';
import { startRelay } from '@lbc/event-stream';
import type { TestDatabase } from '@lbc/testing';
import { createTestDatabase, expectEventually, newTestEvent, newTestStreamId } from '@lbc/testing';
import { migrateDatabase } from './migrate-database';

/** A statement's SQLSTATE, or null when it succeeded. */
async function sqlState(client: Client, statement: string): Promise<string | null> {
  return client.query(statement).then(
    () => null,
    (error: { code: string }) => error.code,
  );
}

describe('migrateDatabase with an owner and a runtime login (production)', () => {
  let db: TestDatabase;
  let runtimeUrl: string;
  let login: string;
  let store: EventStore;
  const clients: Client[] = [];
  const connect = async (url: string) => {
    const client = new Client({ connectionString: url });
    await client.connect();
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    login = `app_${randomUUID().replace(/-/g, '')}`;
    const url = new URL(db.url);
    url.username = login;
    url.password = 'app password';
    runtimeUrl = url.toString();
    await migrateDatabase({ url: runtimeUrl, ownerUrl: db.url, stop: async () => undefined }, { postgresEvents: true });
    store = await createPostgresEventStore({ url: runtimeUrl });
    await store.append(newTestStreamId(), [newTestEvent()], 'no-stream');
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.end()));
    await store.close();
    await db.drop();
    // Roles belong to the whole server: drop the login from its maintenance database.
    const server = new URL(db.url);
    server.pathname = '/postgres';
    const owner = new Client({ connectionString: server.toString() });
    await owner.connect();
    await owner.query(`DROP ROLE ${login}`);
    await owner.end();
  });

  it.each([
    ['UPDATE', "UPDATE event_store.events SET type = 'Forged'"],
    ['DELETE', 'DELETE FROM event_store.events'],
    ['TRUNCATE', 'TRUNCATE event_store.events'],
    ['SET session_replication_role', 'SET session_replication_role = replica'],
    ['DISABLE TRIGGER', 'ALTER TABLE event_store.events DISABLE TRIGGER events_append_only'],
    ['DISABLE TRIGGER ALL', 'ALTER TABLE event_store.events DISABLE TRIGGER ALL'],
    ['DROP TRIGGER', 'DROP TRIGGER events_append_only ON event_store.events'],
    ['redefining the trigger function', 'CREATE OR REPLACE FUNCTION event_store.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$'],
    ['a table of its own beside the events', 'CREATE TABLE event_store.shadow (n int)'],
  ])('refuses %s to the runtime login', async (_what, statement) => {
    const runtime = await connect(runtimeUrl);
    expect(await sqlState(runtime, statement)).toBe('42501');
    const { rows } = await runtime.query<{ n: number }>('SELECT count(*)::int AS n FROM event_store.events');
    expect(rows[0].n).toBe(1);
  });

  it('lets the runtime login append and read events, seal and erase personal data, create accounts and move the relay checkpoint', async () => {
    const streamId = newTestStreamId();
    expect((await store.append(streamId, [newTestEvent()], 'no-stream')).status).toBe('appended');
    expect(await store.readStream(streamId)).toHaveLength(1);

    const keyDir = mkdtempSync(join(tmpdir(), 'lbc-keys-'));
    const vault = await createPersonalDataVault({ url: runtimeUrl, masterKey: Buffer.alloc(32, 3), keyDir });
    try {
      const [kept, erased] = [randomUUID(), randomUUID()];
      const sealed = await vault.seal(kept, { name: '王小花' });
      await vault.seal(erased, { name: '李小草' });
      await vault.erase(erased);
      expect(await vault.open(kept, sealed)).toEqual({ name: '王小花' });
    } finally {
      await vault.close();
      rmSync(keyDir, { recursive: true, force: true });
    }

    const pool = new Pool({ connectionString: runtimeUrl });
    try {
      const accounts = new Accounts(pool);
      await accounts.createUser({ username: 'admin', password: 'a test password', role: 'platform_admin', countyId: 'wangcang' });
    } finally {
      await pool.end();
    }

    const runtime = await connect(runtimeUrl);
    const bus = new InProcessBus({ partitions: 1 });
    const relay = await startRelay({ store, bus, databaseUrl: runtimeUrl, topic: 'care-events', logger: pino({ level: 'silent' }) });
    try {
      await expectEventually(async () => {
        const { rows } = await runtime.query<{ n: number }>('SELECT count(*)::int AS n FROM relay_checkpoints');
        expect(rows[0].n).toBe(1);
      });
    } finally {
      await relay.stop();
      await bus.close();
    }
  });

  it('gives the runtime login the tables the owner creates later (a rebuild’s schema), but never the events', async () => {
    const owner = await connect(db.url);
    await owner.query('CREATE SCHEMA later; CREATE TABLE later.facts (n int)');
    const runtime = await connect(runtimeUrl);
    expect(await sqlState(runtime, 'INSERT INTO later.facts VALUES (1)')).toBeNull();
    await migrateDatabase({ url: runtimeUrl, ownerUrl: db.url, stop: async () => undefined }, { postgresEvents: true });
    expect(await sqlState(runtime, 'DELETE FROM event_store.events')).toBe('42501');
  });
});
