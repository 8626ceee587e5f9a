import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKafkaBroker } from './kafka-broker';
import { measureRawConsumeRate } from './raw-consume-rate';

function refusesConnections(address: string): Promise<boolean> {
  const [host, port] = address.split(':');
  return new Promise((answer) => {
    const socket = connect(Number(port), host);
    socket.once('connect', () => (socket.destroy(), answer(false)));
    socket.once('error', () => answer(true));
  });
}

async function produce(brokers: string[], topic: string, count: number): Promise<void> {
  const kafka = new Kafka({ brokers, logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  await producer.send({ topic, messages: Array.from({ length: count }, (_, i) => ({ key: `k${i % 10}`, value: `${i}` })) });
  await producer.disconnect();
}

describe('startKafkaBroker', () => {
  it('runs a real broker that keeps its data over restarts, in a folder and on ports of its own', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lbc-kafka-spec-'));
    try {
      const broker = await startKafkaBroker({ dataDir });
      await produce(broker.brokers, 'kept', 1_000);
      await broker.restart();
      expect(await measureRawConsumeRate({ brokers: broker.brokers, topic: 'kept', messages: 1_000 })).toEqual(
        expect.objectContaining({ messages: 1_000 }),
      );
      await broker.stop();
      expect(await refusesConnections(broker.brokers[0])).toBe(true);

      const port = Number(broker.brokers[0].split(':')[1]);
      await expect(startKafkaBroker({ dataDir, port: port + 1 })).rejects.toThrow(`port: ${dataDir} was formatted for port ${port}, not ${port + 1}`);
      const again = await startKafkaBroker({ dataDir });
      expect(again.brokers).toEqual(broker.brokers);
      const kafka = new Kafka({ brokers: again.brokers, logLevel: logLevel.ERROR }).admin();
      await kafka.connect();
      const offsets = await kafka.fetchTopicOffsets('kept');
      await kafka.disconnect();
      expect(offsets.reduce((sum, { high }) => sum + Number(high), 0)).toBe(1_000);
      await again.stop();
      expect(existsSync(join(dataDir, 'server.properties'))).toBe(true);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);

  it('removes the temporary folder it made once stopped', async () => {
    const broker = await startKafkaBroker({ heapMb: 256 });
    expect(existsSync(join(broker.dataDir, 'server.properties'))).toBe(true);
    await broker.stop();
    expect(existsSync(broker.dataDir)).toBe(false);
  }, 120_000);
});
