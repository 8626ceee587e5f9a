// `npm run kafka:start`: a real Kafka broker for local runs, kept in .data/kafka between runs.
// Options: --data-dir <folder>, --port <port> (9092 for a new folder; a used one keeps its own), --heap-mb <MiB>.
import { startKafkaBroker } from '@lbc/testing';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string', default: resolve(__dirname, '../../.data/kafka') },
      port: { type: 'string' },
      'heap-mb': { type: 'string' },
    },
  });
  const dataDir = resolve(values['data-dir']);
  const isNew = !existsSync(join(dataDir, 'server.properties'));
  const started = Date.now();
  const broker = await startKafkaBroker({
    dataDir,
    port: values.port !== undefined ? Number(values.port) : isNew ? 9092 : undefined,
    heapMb: values['heap-mb'] === undefined ? undefined : Number(values['heap-mb']),
  });
  console.log(`Kafka broker ready in ${Date.now() - started} ms, data in ${broker.dataDir}`);
  console.log(`KAFKA_BROKERS=${broker.brokers.join(',')}`);
  const stop = () => {
    console.log('Stopping the Kafka broker…');
    broker.stop().then(
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
