import type { DynamicModule, INestApplication } from '@nestjs/common';
import { Writable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pool } from 'pg';
import pino from 'pino';
import request from 'supertest';
import type { NewUser } from '@lbc/accounts';
import { Accounts } from '@lbc/accounts';
import { loadConfig } from '@lbc/config';
import type { Checkpoint, EventStore, RecordedEvent } from '@lbc/event-store';
import { START } from '@lbc/event-store';
import type { PersonalDataVault } from '@lbc/personal-data';
import type { FactRow } from '@lbc/read-models';
import { factOf, writeFacts } from '@lbc/read-models';
import type { TestDatabase } from '@lbc/testing';
import { createTestDatabase } from '@lbc/testing';
import type { DataSource } from 'typeorm';
import { createIngestApp } from '../ingest-app';
import { openIngestDependencies } from '../open-ingest-dependencies';
import type { IngestDependencies } from '../ingest-dependencies';

export const COUNTY = 'wangcang';
export const PASSWORD = 'a test password';
/** The app's HMAC key of access tokens, for tests that forge tokens. */
export const JWT_SECRET = 'test-secret-test-secret-test-secret';

/** Two schools of one county, registered; each with a staff account; plus county, auditor and admin accounts. */
export const SCHOOL_A = '11111111-1111-4111-8111-111111111111';
export const SCHOOL_B = '22222222-2222-4222-8222-222222222222';

export interface IngestTestApp {
  readonly app: INestApplication;
  readonly http: ReturnType<typeof request>;
  readonly store: EventStore;
  readonly vault: PersonalDataVault;
  readonly accounts: Accounts;
  readonly readModels: DataSource;
  /** The app's own pool on its database (accounts, the access log). */
  readonly pool: Pool;
  /** Every structured log line written so far. */
  readonly logs: string[];
  token(username: string): Promise<string>;
  /** A second ingest app on the same database, with its own pool and caches: another replica. */
  replica(): Promise<{ readonly http: ReturnType<typeof request>; close(): Promise<void> }>;
  /** Every event in the store, in all-stream order. */
  allEvents(): Promise<RecordedEvent[]>;
  /**
   * Projects the events stored since the last call into the read models, as the projector would
   * (this app runs none): call it before reading what the read models serve.
   */
  project(): Promise<void>;
  close(): Promise<void>;
}

export interface IngestTestAppOptions {
  readonly clock?: () => Date;
  readonly mount?: (deps: IngestDependencies) => readonly DynamicModule[];
}

/**
 * The ingest app on a fresh database of the run's real PostgreSQL, with the real event store and
 * vault, small limits (50 events, 64 KiB, carer load 2) and the users of a two-school county.
 * `clock` pins the server clock (the real one by default); `mount` gives the modules an app
 * composes beside the ingest (e.g. the read-side API).
 */
export async function startIngestTestApp(env: Record<string, string> = {}, options: IngestTestAppOptions = {}): Promise<IngestTestApp> {
  const { clock, mount = () => [] } = options;
  const db: TestDatabase = await createTestDatabase();
  const keyDir = mkdtempSync(join(tmpdir(), 'lbc-keys-'));
  const config = loadConfig({
    DATABASE_URL: db.url,
    KEY_DIR: keyDir,
    MASTER_KEY: Buffer.alloc(32, 9).toString('base64'),
    JWT_SECRET,
    INGEST_MAX_EVENTS: '50',
    INGEST_MAX_BODY_BYTES: String(64 * 1024),
    MAX_CARER_LOAD: '2',
    ...env,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  // The adapters as the apps open them (migrations included), on the test's database.
  const opened = await openIngestDependencies(config, pino(sink));
  const deps: IngestDependencies = { ...opened.deps, clock };
  const { eventStore: store, vault, accounts, readModels } = deps;
  const app = await createIngestApp(deps, mount(deps));
  const http = request(app.getHttpServer());

  const users: NewUser[] = [
    { username: 'admin', password: PASSWORD, role: 'platform_admin', countyId: COUNTY },
    { username: 'staff.a', password: PASSWORD, role: 'school_staff', schoolId: SCHOOL_A, countyId: COUNTY },
    { username: 'staff.b', password: PASSWORD, role: 'school_staff', schoolId: SCHOOL_B, countyId: COUNTY },
    { username: 'county.edu', password: PASSWORD, role: 'county_education', countyId: COUNTY },
    { username: 'auditor', password: PASSWORD, role: 'auditor', countyId: COUNTY },
  ];
  for (const user of users) await accounts.createUser(user);
  const tokens = new Map<string, string>();
  const token = async (username: string) => {
    if (!tokens.has(username)) {
      const response = await http.post('/api/v1/auth/login').send({ username, password: PASSWORD }).expect(200);
      tokens.set(username, response.body.accessToken as string);
    }
    return tokens.get(username) as string;
  };
  const admin = await token('admin');
  for (const [schoolId, name] of [
    [SCHOOL_A, '新华小学'],
    [SCHOOL_B, '白水小学'],
  ]) {
    await http
      .post('/api/v1/events')
      .set('authorization', `Bearer ${admin}`)
      .send({
        eventId: randomUUID(),
        type: 'SchoolRegistered',
        schoolId,
        occurredAt: '2024-09-01T08:00:00+08:00',
        data: { name, countyId: COUNTY, countyName: '旺苍县', townshipId: 'dongcheng', townshipName: '东城镇', level: 'primary', boarding: false },
      })
      .expect(201);
  }

  let projected: Checkpoint = START;
  return {
    app,
    http,
    store,
    vault,
    accounts,
    readModels,
    pool: deps.pool,
    logs,
    token,
    replica: async () => {
      const replicaPool = db.pool({ max: 4 });
      const replicaDeps: IngestDependencies = { ...deps, pool: replicaPool, accounts: new Accounts(replicaPool) };
      const replica = await createIngestApp(replicaDeps, mount(replicaDeps));
      return { http: request(replica.getHttpServer()), close: () => replica.close() };
    },
    allEvents: () => store.readAll({ after: START, limit: 100_000 }),
    project: async () => {
      const events = await store.readAll({ after: projected, limit: 100_000 });
      if (events.length === 0) return;
      await writeFacts(readModels.manager, events.map(factOf).filter((fact): fact is FactRow => fact !== null));
      projected = events[events.length - 1].checkpoint;
    },
    close: async () => {
      await app.close();
      await opened.close();
      await db.drop();
      rmSync(keyDir, { recursive: true, force: true });
    },
  };
}
