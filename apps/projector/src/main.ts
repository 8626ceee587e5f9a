import { createPostgresEventStore } from '@lbc/event-store';
import { KafkaBus } from '@lbc/messaging';
import { migrateReadModels, openReadModels } from '@lbc/read-models';
import { CARE_EVENTS_PARTITIONS, CARE_EVENTS_TOPIC, PROJECTOR_GROUP, loadStreamConfig, serveLagHealth, startProjector } from '@lbc/stream';
import pino from 'pino';
import { rebuildWithProgressBar } from './rebuild';

// The projector: Kafka topic `care-events` → read models in PostgreSQL (schema `read_models`).
// With the argument `rebuild` (`npm run rebuild`): replay the store into fresh read models instead.
async function main(): Promise<void> {
  if (process.argv[2] === 'rebuild') {
    const { databaseUrl } = loadStreamConfig(process.env, { kafka: false });
    return rebuildWithProgressBar(databaseUrl);
  }
  const logger = pino({ name: 'projector' });
  const config = loadStreamConfig(process.env);
  await migrateReadModels(config.databaseUrl);
  const readModels = await openReadModels(config.databaseUrl);
  const store = await createPostgresEventStore({ url: config.databaseUrl, poolSize: 2 });
  const bus = await KafkaBus.connect({
    brokers: config.kafkaBrokers,
    clientId: 'projector',
    onHandlerError: (error, failure) => logger.error({ err: error, ...failure }, 'projector: batch failed, redelivering'),
  });
  await bus.createTopic(CARE_EVENTS_TOPIC, { partitions: CARE_EVENTS_PARTITIONS });
  const projector = await startProjector({ bus, readModels, topic: CARE_EVENTS_TOPIC, groupId: PROJECTOR_GROUP, store, logger });
  const health = await serveLagHealth({ component: 'projector', lag: projector.lag, port: config.port, logger });
  logger.info({ port: health.port }, 'projector: health on /health');
  const shutdown = async () => {
    await health.close();
    await projector.stop();
    await bus.close();
    await readModels.destroy();
    await store.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
