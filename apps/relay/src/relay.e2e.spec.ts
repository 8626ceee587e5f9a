import type { EventStore } from '@lbc/event-store';
import { createPostgresEventStore } from '@lbc/event-store';
import { freePort } from '@lbc/postgres';
import type { KafkaBroker, TestDatabase } from '@lbc/testing';
import { createTestDatabase, expectEventually, newTestEvent, newTestStreamId, startKafkaBroker } from '@lbc/testing';
import { Kafka, logLevel } from 'kafkajs';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');

describe('relay process on a real Kafka broker', () => {
  let db: TestDatabase;
  let broker: KafkaBroker;
  let store: EventStore;
  let relay: ChildProcess;
  let port: number;
  // The broker's own folder, kept across its stop: started again on it, it comes back on the same port.
  const brokerDir = mkdtempSync(join(tmpdir(), 'lbc-relay-kafka-'));
  const health = async (query = '') => {
    const response = await fetch(`http://127.0.0.1:${port}/health${query}`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    [db, broker, port] = await Promise.all([createTestDatabase(), startKafkaBroker({ dataDir: brokerDir }), freePort()]);
    store = await createPostgresEventStore({ url: db.url });
    relay = spawn(process.execPath, ['-r', './tools/register.js', 'apps/relay/src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, DATABASE_URL: db.url, KAFKA_BROKERS: broker.brokers.join(','), PORT: String(port) },
      stdio: 'ignore',
    });
  }, 120_000);

  afterAll(async () => {
    const exited = new Promise((done) => relay.once('exit', done));
    relay.kill('SIGTERM');
    await exited;
    await store.close();
    await broker.stop();
    rmSync(brokerDir, { recursive: true, force: true });
    await db.drop();
  }, 60_000);

  it('publishes stored events keyed by subject, with type and eventId headers and without personal data; lag 0 on /health', async () => {
    const streamId = newTestStreamId('child');
    const events = [newTestEvent(), newTestEvent()];
    await store.append(streamId, events, 'no-stream');

    const consumer = new Kafka({ brokers: broker.brokers, logLevel: logLevel.NOTHING }).consumer({ groupId: 'relay-e2e' });
    const received: { key: string; value: Record<string, unknown>; headers: Record<string, string> }[] = [];
    await expectEventually(
      async () => {
        expect((await health()).body).toMatchObject({
          status: 'ok', component: 'relay', lag: 0,
          dependencies: { database: 'up', eventStore: 'up', kafka: 'up' },
          // One broker: one copy, as configured by default for a cluster that small.
          kafkaTopic: { topic: 'care-events', brokers: 1, replicationFactor: 1, minInsyncReplicas: 1, shortfalls: [] },
        });
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    await consumer.connect();
    await consumer.subscribe({ topic: 'care-events', fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        received.push({
          key: String(message.key),
          value: JSON.parse(String(message.value)) as Record<string, unknown>,
          headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
        });
      },
    });
    await expectEventually(() => expect(received).toHaveLength(2), { timeoutMs: 30_000 });
    await consumer.disconnect();

    expect(received.map((m) => m.headers.eventId)).toEqual(events.map((e) => e.eventId));
    for (const message of received) {
      expect(message.key).toBe(streamId.slice('child-'.length));
      expect(message.headers).toMatchObject({ type: 'CareActivityRecorded', schemaVersion: '1' });
      expect(message.value.data).not.toHaveProperty('personal');
      expect(JSON.stringify(message.value)).not.toContain('AAEC');
      // The chain covers the sealed data, so it is checked in the store, not on the bus.
      expect(message.value).not.toHaveProperty('hash');
      expect(message.value).not.toHaveProperty('prevHash');
      expect(message.value).toMatchObject({ streamId, checkpoint: message.headers.checkpoint });
    }
  }, 120_000);

  it('is not ready while Kafka is down, naming it, stays alive, and is ready again once the broker is back', async () => {
    await broker.stop();
    await expectEventually(async () => expect(await health()).toMatchObject({ status: 503, body: { status: 'unavailable', dependencies: { database: 'up', eventStore: 'up', kafka: 'down' } } }), {
      timeoutMs: 30_000,
      intervalMs: 500,
    });
    expect(await health('?probe=live')).toEqual({ status: 200, body: { status: 'ok', component: 'relay' } });
    broker = await startKafkaBroker({ dataDir: brokerDir });
    await expectEventually(async () => expect(await health()).toMatchObject({ status: 200, body: { status: 'ok', dependencies: { kafka: 'up' } } }), { timeoutMs: 60_000, intervalMs: 500 });
  }, 120_000);
});
