import { createDecipheriv, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import type { AppProcess, KafkaBroker } from '@lbc/testing';
import { expectEventually, spawnApp, startKafkaBroker } from '@lbc/testing';
import type { Session } from './testing/demo-platform';
import { childRegistered, embeddedDatabaseUrl, newDataDir, recordEvent, signIn } from './testing/demo-platform';

/** Every file under `dir`, recursively: PostgreSQL's pages and WAL, the key directory, the demo secrets. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : entry.isFile() ? [path] : [];
  });
}

function aesGcmOpen(key: Buffer, sealed: Buffer, aad: string): Buffer | null {
  if (key.length !== 32 || sealed.length < 28) return null;
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12), { authTagLength: 16 });
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  try {
    return Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]);
  } catch {
    return null;
  }
}

/**
 * What an attacker with a copy of the whole data directory holds: every secret of secrets.json and
 * every small file, as keys, plus whatever each of them opens among the small files (the
 * key-encryption keys are sealed under the master key, named by their id).
 */
function keyMaterialUnder(dataDir: string): Buffer[] {
  const small = filesUnder(dataDir).filter((path) => statSync(path).size <= 4096);
  const secrets = JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8')) as Record<string, string>;
  const keys: Buffer[] = [
    ...Object.values(secrets).flatMap((value) => [Buffer.from(value, 'base64'), Buffer.from(value, 'base64url')]),
    ...small.map((path) => readFileSync(path)),
  ];
  for (const path of small) {
    const id = path.split('/').pop()?.replace(/\.[a-z]+$/, '') ?? '';
    for (const key of [...keys]) {
      const opened = aesGcmOpen(key, readFileSync(path), `lbc/personal-data/kek/v1\0${id}`);
      if (opened) keys.push(opened);
    }
  }
  return keys.filter((key) => key.length === 32);
}

function occurrences(haystack: Buffer, needle: Buffer): number {
  let count = 0;
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) count++;
  return count;
}

/** One message of the topic as stored: key, value and every header, raw. */
interface TopicMessage {
  readonly eventId: string;
  readonly bytes: Buffer[];
}

/** Every message of `topic` from its beginning, until `done` holds of what was read. */
async function readTopic(brokers: string[], topic: string, done: (messages: readonly TopicMessage[]) => void): Promise<TopicMessage[]> {
  const consumer = new Kafka({ brokers, logLevel: logLevel.NOTHING }).consumer({ groupId: `erasure-scan-${randomUUID()}` });
  const messages: TopicMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const headers = Object.entries(message.headers ?? {}).flatMap(([name, value]) => [Buffer.from(name), ...[value ?? []].flat().map((one) => Buffer.from(one))]);
        messages.push({ eventId: String(message.headers?.['eventId'] ?? ''), bytes: [message.key ?? Buffer.alloc(0), message.value ?? Buffer.alloc(0), ...headers] });
      },
    });
    await expectEventually(() => done(messages), { timeoutMs: 60_000, intervalMs: 250 });
  } finally {
    await consumer.disconnect();
  }
  return messages;
}

describe('PersonalDataErased: what an attacker with the whole data directory and the Kafka topic can still read', () => {
  let dataDir: string;
  let broker: KafkaBroker;
  let platform: AppProcess;
  let url: string;
  let session: Session;
  // The events go the production way: relay → a real Kafka broker → projector.
  const startPlatform = () => spawnApp('apps/platform/src/main.ts', [], { DATA_DIR: dataDir, PORT: '0', DEMO_CHILDREN: '0', KAFKA_BROKERS: broker.brokers.join(',') });

  beforeAll(async () => {
    dataDir = newDataDir('erasure');
    broker = await startKafkaBroker({ heapMb: 256 });
    platform = startPlatform();
    url = await platform.listening('Platform');
    session = await signIn(url, 'school.xinhua.staff');
  });

  afterAll(async () => {
    if (platform.process.exitCode === null) platform.process.kill('SIGTERM');
    await platform.exited;
    await broker.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const record = async (event: Record<string, unknown>) => expect(await recordEvent(url, session, event)).toBe(201);
  const erase = (childId: string, reason = 'guardian request') => record({ type: 'PersonalDataErased', childId, occurredAt: '2025-10-01', data: { reason } });

  it('leaves a marker planted in a child’s personal data in no table, no file on disk, no log line and no Kafka message, in clear', async () => {
    const child = randomUUID();
    const marker = `marker-${randomUUID()}`;
    // The erasure's reason is not personal data: the same search must find it, in its message and in the broker's files.
    const control = `control-${randomUUID()}`;
    await record(childRegistered(session, child, marker));
    await record({
      type: 'CareActivityRecorded',
      childId: child,
      occurredAt: '2025-09-20',
      data: { activityId: randomUUID(), kind: 'talk', minutes: 20, personal: { notes: `${marker} notes` } },
    });
    // Read back while readable (the school's file): a read must not leave it anywhere either.
    expect(await (await fetch(`${url}/api/v1/children/${child}`, { headers: session.headers })).text()).toContain(marker);
    await erase(child, `guardian request ${control}`);
    const db = new Client({ connectionString: embeddedDatabaseUrl(dataDir, 'postgres') });
    await db.connect();
    try {
      const { rows: stored } = await db.query<{ event_id: string }>('SELECT event_id FROM event_store.events');
      expect(stored.length).toBeGreaterThan(4);
      // Every event the store holds, the demo county's among them, published by the relay.
      const messages = await readTopic(broker.brokers, 'care-events', (read) =>
        expect(new Set(read.map(({ eventId }) => eventId))).toEqual(new Set(stored.map(({ event_id }) => event_id))),
      );
      const carrying = (needle: string) => messages.filter(({ bytes }) => bytes.some((part) => part.includes(needle))).map(({ eventId }) => eventId);
      expect(carrying(control)).toHaveLength(1);
      expect(carrying(child).length).toBeGreaterThan(2);
      expect(carrying(marker)).toEqual([]);
      const { rows: tables } = await db.query<{ name: string }>(
        `SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`,
      );
      expect(tables.length).toBeGreaterThan(10);
      for (const { name } of tables) {
        const { rows } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${name} t WHERE t::text LIKE '%' || $1 || '%'`, [marker]);
        expect({ table: name, rows: Number(rows[0].n) }).toEqual({ table: name, rows: 0 });
      }
    } finally {
      await db.end();
    }
    platform.process.kill('SIGTERM');
    await platform.exited;
    const inClear = (dir: string, needle: string) => filesUnder(dir).filter((path) => occurrences(readFileSync(path), Buffer.from(needle, 'utf8')) > 0);
    expect(inClear(dataDir, marker)).toEqual([]);
    expect(inClear(broker.dataDir, marker)).toEqual([]);
    expect(inClear(broker.dataDir, control).length).toBeGreaterThan(0);
    expect(platform.output()).not.toContain(marker);
    // The next test goes on with the same data directory.
    platform = startPlatform();
    url = await platform.listening('Platform');
    session = await signIn(url, 'school.xinhua.staff');
  });

  it('finds the erased child’s wrapped data keys in pages and WAL, and no key material left on disk opens them', async () => {
    const [child, other, kept] = [randomUUID(), randomUUID(), randomUUID()];
    await record(childRegistered(session, child, '王小花'));
    await record(childRegistered(session, other, '李小草'));
    await record(childRegistered(session, kept, '张小军'));
    const db = new Client({ connectionString: embeddedDatabaseUrl(dataDir, 'postgres') });
    await db.connect();
    const wrappedKey = async (subject: string) =>
      (await db.query<{ wrapped_key: Buffer }>('SELECT wrapped_key FROM personal_data_keys WHERE subject_id = $1', [subject])).rows[0].wrapped_key;
    const wrapped = [await wrappedKey(child)];
    try {
      // Another erasure first, so that the child's key is stored wrapped twice.
      await erase(other);
      wrapped.push(await wrappedKey(child));
      await erase(child);
    } finally {
      await db.end();
    }
    // The rotations lost no live key: the school still reads the other child's personal data.
    const file = await fetch(`${url}/api/v1/children/${kept}`, { headers: session.headers });
    expect(await file.json()).toMatchObject({ personal: { name: '张小军' } });
    // Stopped cleanly, the server has written every page it held in memory.
    platform.process.kill('SIGTERM');
    expect(await platform.exited).toBe(0);

    const files = filesUnder(join(dataDir, 'postgres')).map((path) => readFileSync(path));
    for (const copy of wrapped) expect(files.reduce((n, file) => n + occurrences(file, copy), 0)).toBeGreaterThan(0);
    const keys = keyMaterialUnder(dataDir);
    expect(keys.length).toBeGreaterThan(1);
    for (const copy of wrapped) {
      for (const key of keys) expect(aesGcmOpen(key, copy, `lbc/personal-data/wrap/v1\0${1}\0${child}`)).toBeNull();
    }
  });

});
