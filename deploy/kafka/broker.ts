// `npm run kafka:start`: a real Kafka broker for local runs, kept in .data/kafka between runs.
// `npm run kafka:start -- --nodes 3`: a three-node cluster instead (KRaft, every node broker and
// controller), kept in .data/kafka-cluster.
// Options: --data-dir <folder>, --port <port> (9092 for a new folder, the cluster's nodes 9092, 9093, …;
// a used folder keeps its own), --heap-mb <MiB> (each node), --nodes <count>.
import { startKafkaBroker, startKafkaCluster } from '@lbc/testing';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      'heap-mb': { type: 'string' },
      nodes: { type: 'string', default: '1' },
    },
  });
  const nodes = Number(values.nodes);
  const dataDir = resolve(values['data-dir'] ?? join(__dirname, '../../.data', nodes === 1 ? 'kafka' : 'kafka-cluster'));
  const heapMb = values['heap-mb'] === undefined ? undefined : Number(values['heap-mb']);
  const started = Date.now();
  const running =
    nodes === 1
      ? await startKafkaBroker({
          dataDir,
          port: values.port !== undefined ? Number(values.port) : existsSync(join(dataDir, 'server.properties')) ? undefined : 9092,
          heapMb,
        })
      : await startKafkaCluster({ nodes, dataDir, firstPort: Number(values.port ?? 9092), heapMb });
  console.log(`Kafka (${nodes} node${nodes === 1 ? '' : 's'}) ready in ${Date.now() - started} ms, data in ${running.dataDir}`);
  console.log(`KAFKA_BROKERS=${running.brokers.join(',')}`);
  const stop = () => {
    console.log('Stopping Kafka…');
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
