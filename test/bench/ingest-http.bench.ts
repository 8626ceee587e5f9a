// Batch ingest through HTTP (NDJSON, 1,000 events a request, on a real socket) beside the event
// store's own append rate on the same server in the same run. Two batch shapes: 1,000 children
// with one event each (one append per event: the worst case) and 100 children with ten events
// each (the events of one child go in one append).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '@lbc/config';
import { createPostgresEventStore } from '@lbc/event-store';
import { createIngestApp, openIngestDependencies } from '@lbc/ingest';
import type { Bench, BenchContext, BenchRow } from './bench';

const EVENTS_PER_REQUEST = 1000;
const REQUESTS = Number(process.env.BENCH_INGEST_REQUESTS ?? 10);
const RAW_APPENDS = Number(process.env.BENCH_INGEST_RAW_APPENDS ?? 5000);
const SCHOOL = '0d6f5a52-7c1b-4e0a-9f3d-5b2e8c4a1f07';
const PASSWORD = 'bench password';

interface Shape {
  readonly label: string;
  readonly children: number;
}

const SHAPES: readonly Shape[] = [
  { label: '1,000 children × 1 event', children: 1000 },
  { label: '100 children × 10 events', children: 100 },
];

/** The store's raw rate: single-event appends of CareActivityRecorded to existing streams, `writers` at a time. */
async function rawAppendRate(url: string, writers: number): Promise<number> {
  const store = await createPostgresEventStore({ url });
  const metadata = { recordedBy: 'bench', schoolId: SCHOOL, countyId: 'wangcang', correlationId: 'bench', causationId: null };
  const data = { activityId: 'a', kind: 'talk', minutes: 20, personal: { v: 1, key: 1, iv: 'AAAA', ct: 'AAAA', tag: 'AAAA' } };
  const append = (stream: number, revision: number) =>
    store.append(`child-raw-${writers}-${stream}`, [{ eventId: randomUUID(), type: 'CareActivityRecorded', schemaVersion: 1, occurredAt: '2025-03-14T09:30:00+08:00', data, metadata }], revision < 0 ? 'no-stream' : revision);
  try {
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: writers }, async (_, writer) => {
        for (let i = writer, revision = -1; i < RAW_APPENDS; i += writers, revision++) await append(writer, revision);
      }),
    );
    return RAW_APPENDS / (Number(process.hrtime.bigint() - started) / 1e9);
  } finally {
    await store.close();
  }
}

async function httpIngestRate(context: BenchContext, shape: Shape): Promise<number> {
  const url = await context.createDatabase(`ingest_${shape.children}`);
  const keyDir = mkdtempSync(join(tmpdir(), 'lbc-bench-keys-'));
  const config = loadConfig({ DATABASE_URL: url, KEY_DIR: keyDir, MASTER_KEY: Buffer.alloc(32, 1).toString('base64'), JWT_SECRET: 'bench-secret-bench-secret-bench-secret', PORT: '0' });
  // The adapters as the apps open them, migrations included.
  const opened = await openIngestDependencies(config, pino({ level: 'warn' }));
  await opened.deps.accounts.createUser({ username: 'admin', password: PASSWORD, role: 'platform_admin', countyId: 'wangcang' });
  const app = await createIngestApp(opened.deps);
  await app.listen(0, '127.0.0.1');
  const base = await app.getUrl();
  try {
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const send = async (events: readonly object[]) => {
      const response = await fetch(`${base}/api/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/x-ndjson' },
        body: events.map((event) => JSON.stringify(event)).join('\n'),
      });
      const body = (await response.json()) as { accepted?: number };
      if (response.status !== 200 || body.accepted !== events.length) throw new Error(`ingest refused: ${response.status} ${JSON.stringify(body).slice(0, 500)}`);
    };
    const children = Array.from({ length: shape.children }, () => randomUUID());
    await send([
      { eventId: randomUUID(), type: 'SchoolRegistered', schoolId: SCHOOL, occurredAt: '2024-09-01', data: { name: '基准小学', countyId: 'wangcang', countyName: '旺苍县', townshipId: 't', townshipName: '东城镇', level: 'primary', boarding: false } },
    ]);
    const registrations = children.map((childId) => ({
      eventId: randomUUID(),
      type: 'ChildRegistered',
      childId,
      occurredAt: '2024-09-02',
      data: { schoolId: SCHOOL, grade: 4, className: '4(1)班', gender: 'female', birthMonth: '2015-05', category: 'left-behind', parentsAway: 'both', guardianType: 'grandparent', personal: { name: '王小花', guardian: { name: '王大爷', relation: '祖父', phone: '13800000000' } } },
    }));
    await send(registrations);
    let sequence = 0;
    const batch = () =>
      Array.from({ length: EVENTS_PER_REQUEST }, (_, i) => ({
        eventId: randomUUID(),
        type: 'CareActivityRecorded',
        childId: children[Math.floor((i * shape.children) / EVENTS_PER_REQUEST)],
        occurredAt: '2025-03-14T09:30:00+08:00',
        data: { activityId: `activity-${++sequence}`, kind: i % 2 === 0 ? 'talk' : 'family-call', minutes: 20, ...(i % 4 === 0 ? { personal: { notes: '谈心记录' } } : {}) },
      }));
    await send(batch());
    const started = process.hrtime.bigint();
    for (let request = 0; request < REQUESTS; request++) await send(batch());
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const rate = (REQUESTS * EVENTS_PER_REQUEST) / seconds;
    context.log(`HTTP NDJSON, ${shape.label}: ${REQUESTS} requests in ${seconds.toFixed(2)} s, ${rate.toFixed(0)} events/s`);
    return rate;
  } finally {
    await app.close();
    await opened.close();
    rmSync(keyDir, { recursive: true, force: true });
  }
}

export const bench: Bench = {
  name: 'ingest-http',
  async run(context) {
    const raw16 = await rawAppendRate(await context.createDatabase('ingest_raw_16'), 16);
    context.log(`store raw append, 16 writers: ${raw16.toFixed(0)} events/s`);
    const rows: BenchRow[] = [];
    for (const shape of SHAPES) {
      const rate = await httpIngestRate(context, shape);
      rows.push({
        bench: this.name,
        case: `HTTP NDJSON, ${shape.label}`,
        value: rate,
        unit: 'events/s',
        reference: { case: 'store raw append, 16 writers', value: raw16 },
        target: { atLeast: 0.5 },
        note: `${REQUESTS} sequential requests of ${EVENTS_PER_REQUEST} CareActivityRecorded, a quarter with personal notes; raw: ${RAW_APPENDS} single-event appends`,
      });
    }
    return rows;
  },
};
