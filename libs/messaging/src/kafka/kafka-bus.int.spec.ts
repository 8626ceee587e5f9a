import type { KafkaBroker } from '@lbc/testing';
import { logLevel } from 'kafkajs';
import { expectEventually, startKafkaBroker, testKafkaBrokers, uniqueName } from '@lbc/testing';
import { busConformance } from '@lbc/testing/conformance';
import type { DeliveredMessage } from '../bus.port';
import { KafkaBus } from './kafka-bus';

const PARTITIONS = 3;
const range = (length: number) => Array.from({ length }, (_, i) => i);

describe('KafkaBus', () => {
  busConformance({
    connect: async ({ onHandlerError }) => {
      const bus = await KafkaBus.connect({ brokers: testKafkaBrokers(), clientId: 'bus-conformance', onHandlerError });
      return {
        bus,
        newTopic: async () => {
          const topic = uniqueName('topic');
          await bus.createTopic(topic, { partitions: PARTITIONS });
          return topic;
        },
      };
    },
    eventuallyMs: 30_000,
  });

  it('creates a topic once, and refuses one that exists with another partition count', async () => {
    const bus = await KafkaBus.connect({ brokers: testKafkaBrokers(), clientId: 'topics' });
    const topic = uniqueName('topic');
    await bus.createTopic(topic, { partitions: 6 });
    await bus.createTopic(topic, { partitions: 6 });
    await expect(bus.createTopic(topic, { partitions: 3 })).rejects.toThrow(`partitions: topic ${topic} exists with 6 partitions, not 3`);
    await bus.close();
  }, 30_000);

  it('gives a topic on a single broker one copy, and refuses more copies than brokers', async () => {
    const bus = await KafkaBus.connect({ brokers: testKafkaBrokers(), clientId: 'replication' });
    const topic = uniqueName('topic');
    expect(await bus.createTopic(topic, { partitions: 3 })).toEqual({
      topic, created: true, brokers: 1, partitions: 3, replicationFactor: 1, minInsyncReplicas: 1, shortfalls: [],
    });
    await expect(bus.createTopic(uniqueName('topic'), { partitions: 3, replicationFactor: 3 })).rejects.toThrow(
      'replicationFactor: 3 copies need as many brokers, the cluster has 1',
    );
    await bus.close();
  }, 30_000);

  it('hands what a partition received while its batch was handled to the handler as one batch', async () => {
    const bus = await KafkaBus.connect({ brokers: testKafkaBrokers(), clientId: 'waiting-batch' });
    const topic = uniqueName('topic');
    await bus.createTopic(topic, { partitions: 1 });
    const batches: string[][] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const consumer = await bus.consume({
      topic,
      groupId: uniqueName('group'),
      resumeFrom: async () => null,
      handleBatch: async ({ messages }) => {
        batches.push(messages.map((message) => message.value.toString()));
        if (batches.length === 1) await held;
      },
    });
    try {
      await bus.publish(topic, [{ key: 'k', value: Buffer.from('first'), headers: {} }]);
      await expectEventually(() => expect(batches).toHaveLength(1), { timeoutMs: 30_000 });
      // One at a time, each long enough for kafkajs to fetch it on its own.
      for (const n of range(5)) {
        await bus.publish(topic, [{ key: 'k', value: Buffer.from(String(n)), headers: {} }]);
        await new Promise((wait) => setTimeout(wait, 300));
      }
      release();
      await expectEventually(() => expect(batches.flat()).toHaveLength(6), { timeoutMs: 30_000 });
      expect(batches).toEqual([['first'], ['0', '1', '2', '3', '4']]);
    } finally {
      release();
      await consumer.stop();
      await bus.close();
    }
  }, 60_000);

  describe('when the broker restarts mid-stream', () => {
    let broker: KafkaBroker;
    beforeAll(async () => {
      broker = await startKafkaBroker();
    }, 120_000);
    afterAll(() => broker.stop(), 60_000);

    it('loses nothing: publishing and consuming carry on once it is back', async () => {
      const bus = await KafkaBus.connect({
        brokers: broker.brokers, clientId: 'restart',
        // The outage itself makes kafkajs log connection errors by the dozen.
        logLevel: logLevel.NOTHING,
        onHandlerError: () => undefined,
      });
      const topic = uniqueName('topic');
      await bus.createTopic(topic, { partitions: PARTITIONS });
      const received: DeliveredMessage[] = [];
      await bus.consume({ topic, groupId: uniqueName('group'), resumeFrom: async () => null, handleBatch: async ({ messages }) => void received.push(...messages) });
      const publishRound = async (round: number) => {
        const messages = range(100).map((i) => ({ key: `child-${i % 7}`, value: Buffer.from(`${round}:${i}`), headers: {} }));
        // A relay publishes again until the bus acknowledges: at-least-once, never lost.
        for (;;) {
          try {
            return await bus.publish(topic, messages);
          } catch {
            continue;
          }
        }
      };

      await publishRound(0);
      await expectEventually(() => expect(received.length).toBeGreaterThanOrEqual(100), { timeoutMs: 30_000 });
      let restarted = false;
      const restarting = broker.restart().then(() => (restarted = true));
      let rounds = 1;
      // Publishing goes on through the outage: these rounds wait for, or fail on, the broker being away.
      while (!restarted) await publishRound(rounds++);
      await restarting;
      await publishRound(rounds++);

      const expected = range(rounds).flatMap((round) => range(100).map((i) => `${round}:${i}`)).sort();
      await expectEventually(() => expect([...new Set(received.map((m) => m.value.toString()))].sort()).toEqual(expected), { timeoutMs: 60_000 });
      await bus.close();
    }, 180_000);
  });
});
