import { createPostgresEventStore } from '@lbc/event-store';
import { KafkaBus } from '@lbc/messaging';
import { CARE_EVENTS_PARTITIONS, CARE_EVENTS_TOPIC, loadStreamConfig, serveLagHealth, startRelay } from '@lbc/stream';
import pino from 'pino';

// The relay: event store → Kafka topic `care-events`, without personal data.
async function main(): Promise<void> {
  const logger = pino({ name: 'relay' });
  const config = loadStreamConfig(process.env);
  const store = await createPostgresEventStore({ url: config.databaseUrl, poolSize: 4 });
  const bus = await KafkaBus.connect({ brokers: config.kafkaBrokers, clientId: 'relay' });
  await bus.createTopic(CARE_EVENTS_TOPIC, { partitions: CARE_EVENTS_PARTITIONS });
  const relay = await startRelay({ store, bus, databaseUrl: config.databaseUrl, topic: CARE_EVENTS_TOPIC, logger });
  const health = await serveLagHealth({ component: 'relay', lag: relay.lag, port: config.port, logger });
  logger.info({ port: health.port }, 'relay: health on /health');
  const shutdown = async () => {
    await health.close();
    await relay.stop();
    await bus.close();
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
