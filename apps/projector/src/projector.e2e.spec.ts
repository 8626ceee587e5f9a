import type { EventStore } from '@lbc/event-store';
import { START, createPostgresEventStore } from '@lbc/event-store';
import { KafkaBus } from '@lbc/messaging';
import { migrateReadModels, openReadModels } from '@lbc/read-models';
import type { Relay, StreamLogger } from '@lbc/event-stream';
import { CARE_EVENTS_PARTITIONS, CARE_EVENTS_TOPIC, rebuildReadModels, startProjector, startRelay, toBusMessage } from '@lbc/event-stream';
import { appendStreams, rowCounts, snapshotReadModels, syntheticCounty } from '@lbc/event-stream/testing';
import type { KafkaBroker, TestDatabase } from '@lbc/testing';
import { createTestDatabase, expectEventually, startKafkaBroker, uniqueName } from '@lbc/testing';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { logLevel } from 'kafkajs';
import type { DataSource } from 'typeorm';

const ROOT = resolve(__dirname, '../../..');
const quiet: StreamLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const logDir = mkdtempSync(join(tmpdir(), 'lbc-projector-'));

/** The projector app as its own process, as it runs in production. */
function spawnProjector(databaseUrl: string, brokers: string[], run: number): ChildProcess {
  const log = openSync(join(logDir, `projector-${run}.log`), 'a');
  const child = spawn(process.execPath, ['-r', './tools/register.js', 'apps/projector/src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl, KAFKA_BROKERS: brokers.join(','), PORT: '0' },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  return child;
}

const exited = (child: ChildProcess) => new Promise<void>((done) => (child.exitCode !== null || child.signalCode !== null ? done() : child.once('exit', () => done())));

describe('projector process on a real Kafka broker', () => {
  let db: TestDatabase;
  let broker: KafkaBroker;
  let store: EventStore;
  let readModels: DataSource;
  let bus: KafkaBus;
  let relay: Relay | undefined;
  let projector: ChildProcess | undefined;

  beforeAll(async () => {
    [db, broker] = await Promise.all([createTestDatabase(), startKafkaBroker()]);
    store = await createPostgresEventStore({ url: db.url, pollIntervalMs: 20 });
    await migrateReadModels(db.url);
    readModels = await openReadModels(db.url);
    // The broker restart makes kafkajs log connection errors by design: keep the test output readable.
    bus = await KafkaBus.connect({ brokers: broker.brokers, clientId: 'projector-e2e', logLevel: logLevel.NOTHING, onHandlerError: () => undefined });
  }, 120_000);

  afterAll(async () => {
    projector?.kill('SIGKILL');
    if (projector) await exited(projector);
    await relay?.stop();
    await bus.close();
    await readModels.destroy();
    await store.close();
    await broker.stop();
    await db.drop();
  }, 60_000);

  async function factCount(): Promise<number> {
    return Object.values(rowCounts(await snapshotReadModels(readModels))).reduce((a, b) => a + b, 0);
  }

  it('survives SIGKILL mid-stream, a broker restart under load and duplicate delivery, equal to a rebuild row by row', async () => {
    await bus.createTopic(CARE_EVENTS_TOPIC, { partitions: CARE_EVENTS_PARTITIONS });
    await appendStreams(store, syntheticCounty({ schools: 30, childrenPerSchool: 40, seed: 31 }));
    relay = await startRelay({ store, bus, databaseUrl: db.url, topic: CARE_EVENTS_TOPIC, batchSize: 500, logger: quiet });
    const firstPart = await store.readAll({ after: START, limit: 1_000_000 });

    // SIGKILL while it is working through the backlog: some batches committed, others not.
    projector = spawnProjector(db.url, broker.brokers, 1);
    await expectEventually(async () => expect(await factCount()).toBeGreaterThan(0), { timeoutMs: 60_000, intervalMs: 20 });
    projector.kill('SIGKILL');
    await exited(projector);
    const atKill = await factCount();
    projector = spawnProjector(db.url, broker.brokers, 2);

    // The broker goes down and comes back while events keep arriving.
    await Promise.all([appendStreams(store, syntheticCounty({ schools: 10, childrenPerSchool: 40, seed: 32 })), broker.restart()]);
    // The same events delivered again, under new offsets.
    await bus.publish(CARE_EVENTS_TOPIC, firstPart.slice(0, 2000).map(toBusMessage));

    const all = await store.readAll({ after: START, limit: 1_000_000 });
    const expected = all.filter((event) => event.type !== 'PersonalDataErased').length;
    await expectEventually(async () => expect(await factCount()).toBe(expected), { timeoutMs: 120_000, intervalMs: 250 });
    expect(atKill).toBeLessThan(expected);

    const projected = await snapshotReadModels(readModels);
    await rebuildReadModels({ store, databaseUrl: db.url });
    expect(await snapshotReadModels(readModels)).toEqual(projected);
  }, 300_000);

  it('two projectors in one group, as deployed: one joins mid-stream and the other leaves, nothing lost or counted twice', async () => {
    const own = await createTestDatabase();
    const ownStore = await createPostgresEventStore({ url: own.url, pollIntervalMs: 20 });
    await migrateReadModels(own.url);
    const [first, second] = [await openReadModels(own.url), await openReadModels(own.url)];
    const topic = uniqueName('care-events');
    const groupId = uniqueName('projectors');
    const facts = async () => Object.values(rowCounts(await snapshotReadModels(first))).reduce((a, b) => a + b, 0);
    try {
      await bus.createTopic(topic, { partitions: CARE_EVENTS_PARTITIONS });
      await appendStreams(ownStore, syntheticCounty({ schools: 20, childrenPerSchool: 40, seed: 41 }));
      const ownRelay = await startRelay({ store: ownStore, bus, databaseUrl: own.url, topic, batchSize: 500, logger: quiet });
      const a = await startProjector({ bus, readModels: first, topic, groupId, store: ownStore, logger: quiet });
      await expectEventually(async () => expect(await facts()).toBeGreaterThan(0), { timeoutMs: 60_000, intervalMs: 20 });
      // B joins while events keep arriving: the partitions are shared out again.
      const [b] = await Promise.all([
        startProjector({ bus, readModels: second, topic, groupId, store: ownStore, logger: quiet }),
        appendStreams(ownStore, syntheticCounty({ schools: 10, childrenPerSchool: 40, seed: 42 })),
      ]);
      // A leaves mid-stream: B takes every partition over from where the read models say.
      await Promise.all([a.stop(), appendStreams(ownStore, syntheticCounty({ schools: 10, childrenPerSchool: 40, seed: 43 }))]);

      // Counted anew each time: the store shows an event only once no older transaction is open,
      // and the projectors' own transactions hold its head back while they write.
      const expected = async () => (await ownStore.readAll({ after: START, limit: 1_000_000 })).filter((event) => event.type !== 'PersonalDataErased').length;
      await expectEventually(async () => expect(await facts()).toBe(await expected()), { timeoutMs: 120_000, intervalMs: 250 });
      await expectEventually(async () => expect(await b.lag()).toBe(0));
      expect(await facts()).toBe(await expected());
      await b.stop();
      await ownRelay.stop();

      const projected = await snapshotReadModels(first);
      await rebuildReadModels({ store: ownStore, databaseUrl: own.url });
      expect(await snapshotReadModels(first)).toEqual(projected);
    } finally {
      await Promise.all([first.destroy(), second.destroy()]);
      await ownStore.close();
      await own.drop();
    }
  }, 300_000);

  afterEach(() => {
    const failed = expect.getState().assertionCalls !== expect.getState().numPassingAsserts;
    for (const run of [1, 2]) {
      if (failed && existsSync(join(logDir, `projector-${run}.log`))) console.log(readFileSync(join(logDir, `projector-${run}.log`), 'utf8').slice(-4000));
    }
  });
});
