// Append throughput of our PostgreSQL event store against Emmett's on the same server: one
// command per transaction (one event, the correct expected revision), 10,000 streams, each
// stream written by one writer only so that no append ever fails.
import { randomUUID } from 'node:crypto';
import { STREAM_DOES_NOT_EXIST } from '@event-driven-io/emmett';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { Pool } from 'pg';
import { createPostgresEventStore } from '@lbc/event-store';
import type { Bench, BenchContext, BenchRow } from './bench';

const STREAMS = 10_000;
const APPENDS = Number(process.env.BENCH_APPENDS ?? 20_000); // two events per stream: the first creates it, the second follows it
const WARM_UP = 500;
const POOL_SIZE = 24;

const data = { activityId: 'activity-1', kind: 'talk', minutes: 20, carerId: 'carer-1', personal: { sealed: 'AAECAwQFBgcICQ' } };
const metadata = { recordedBy: 'user-1', schoolId: 'school-1', countyId: 'county-1', correlationId: 'correlation-1', causationId: null };

/** Appends one event to stream `stream` whose last revision is `revision` (-1: new stream). */
type AppendOne = (stream: string, revision: number) => Promise<void>;

interface Subject {
  readonly append: AppendOne;
  close(): Promise<void>;
}

async function ours(url: string): Promise<Subject> {
  const store = await createPostgresEventStore({ url, poolSize: POOL_SIZE });
  return {
    append: async (stream, revision) => {
      const event = { eventId: randomUUID(), type: 'CareActivityRecorded', schemaVersion: 1, occurredAt: '2025-03-14T09:30:00+08:00', data, metadata };
      await store.append(stream, [event], revision < 0 ? 'no-stream' : revision);
    },
    close: () => store.close(),
  };
}

async function emmett(url: string): Promise<Subject> {
  const pool = new Pool({ connectionString: url, max: POOL_SIZE });
  const store = getPostgreSQLEventStore(url, { connectionOptions: { pool } });
  return {
    append: async (stream, revision) => {
      // Emmett counts versions from 1: a stream with one event is at version 1.
      const expectedStreamVersion = revision < 0 ? STREAM_DOES_NOT_EXIST : BigInt(revision + 1);
      await store.appendToStream(stream, [{ type: 'CareActivityRecorded', data, metadata }], { expectedStreamVersion });
    },
    close: async () => {
      await store.close();
      await pool.end();
    },
  };
}

/** `count` appends over `writers` concurrent loops; append i goes to stream i mod STREAMS. */
async function drive(append: AppendOne, prefix: string, count: number, writers: number): Promise<number> {
  const revisions = new Map<number, number>();
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      // STREAMS is a multiple of every concurrency used, so a stream always has the same writer.
      for (let i = writer; i < count; i += writers) {
        const stream = i % STREAMS;
        const revision = revisions.get(stream) ?? -1;
        await append(`${prefix}-${stream}`, revision);
        revisions.set(stream, revision + 1);
      }
    }),
  );
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function measure(context: BenchContext, label: string, open: (url: string) => Promise<Subject>, writers: number): Promise<number> {
  const subject = await open(await context.createDatabase(`${label}_${writers}`));
  try {
    await drive(subject.append, 'warm-up', WARM_UP, writers);
    const seconds = await drive(subject.append, 'child', APPENDS, writers);
    const rate = APPENDS / seconds;
    context.log(`${label}, ${writers} writer(s): ${APPENDS} appends in ${seconds.toFixed(2)} s, ${rate.toFixed(0)} events/s`);
    return rate;
  } finally {
    await subject.close();
  }
}

/** The machine is shared: rounds alternate which store goes first, and the median is reported. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export const bench: Bench = {
  name: 'event-store-append',
  async run(context) {
    const rows: BenchRow[] = [];
    for (const writers of [1, 16]) {
      const rates = { ours: [] as number[], emmett: [] as number[] };
      for (let round = 0; round < ROUNDS; round++) {
        const order = round % 2 === 0 ? (['emmett', 'ours'] as const) : (['ours', 'emmett'] as const);
        for (const label of order) rates[label].push(await measure(context, label, label === 'ours' ? ours : emmett, writers));
      }
      const note = `median of ${ROUNDS} rounds of ${APPENDS} appends, ${STREAMS} streams, 1 event per transaction`;
      rows.push({
        bench: this.name,
        case: `event append, ${writers} writer(s)`,
        value: median(rates.ours),
        unit: 'events/s',
        reference: { case: 'emmett-postgresql 0.42', value: median(rates.emmett) },
        // Issue 3 asked for Emmett's rate at both concurrencies; issue 14 raised 16 writers to twice it.
        target: { atLeast: writers === 1 ? 1 : 2 },
        note,
      });
    }
    return rows;
  },
};
