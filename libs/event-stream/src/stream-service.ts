import type { StreamConfig } from '@lbc/config';
import { stopOnSignals } from '@lbc/config';
import type { EventStore } from '@lbc/event-store';
import { openEventStore } from '@lbc/event-store';
import { KafkaBus } from '@lbc/messaging';
import type { TopicReport, TopicSettings } from '@lbc/messaging';
import { Pool } from 'pg';
import pino from 'pino';
import type { Logger } from 'pino';
import { serveHealth } from './health/serve-health';
import type { StreamLogger } from './lag';
import type { Projector } from './projector/projector';
import { CARE_EVENTS_PARTITIONS, CARE_EVENTS_TOPIC } from './stream.constants';

export interface StreamServiceContext {
  readonly config: StreamConfig;
  readonly store: EventStore;
  readonly bus: KafkaBus;
  readonly logger: Logger;
}

/**
 * Creates the `care-events` topic with the configured replication, or finds it; an existing topic
 * replicated less than configured keeps running (it cannot be mended from here), said at error
 * level once per shortfall so that it is seen before a broker's loss makes it matter.
 */
export async function createCareEventsTopic(
  bus: Pick<KafkaBus, 'createTopic'>,
  replication: Omit<TopicSettings, 'partitions'>,
  logger: StreamLogger,
): Promise<TopicReport> {
  const report = await bus.createTopic(CARE_EVENTS_TOPIC, { ...replication, partitions: CARE_EVENTS_PARTITIONS });
  const { shortfalls, ...topic } = report;
  for (const shortfall of shortfalls) logger.error(topic, `kafka: ${shortfall}`);
  return report;
}

/**
 * Runs the relay or the projector as a service of its own: the event store the configuration
 * names, Kafka with the `care-events` topic, `/health` with the lag and the readiness of the
 * database, the event store and Kafka, and an orderly stop on SIGTERM/SIGINT. `start` answers the
 * component's lag and its stop, which closes what it opened itself.
 */
export async function runStreamService(
  component: 'relay' | 'projector',
  config: StreamConfig,
  start: (context: StreamServiceContext) => Promise<Pick<Projector, 'lag' | 'stop'>>,
): Promise<void> {
  const logger = pino({ name: component });
  const store = await openEventStore({ eventStoreUrl: config.EVENTSTORE_URL, databaseUrl: config.DATABASE_URL, poolSize: 4 });
  const bus = await KafkaBus.connect({
    brokers: config.KAFKA_BROKERS,
    clientId: component,
    onHandlerError: (error, failure) => logger.error({ err: error, ...failure }, `${component}: batch failed, redelivering`),
  });
  const kafkaTopic = await createCareEventsTopic(bus, { replicationFactor: config.KAFKA_REPLICATION_FACTOR, minInsyncReplicas: config.KAFKA_MIN_INSYNC_REPLICAS }, logger);
  const service = await start({ config, store, bus, logger });
  // The relay's checkpoint and the read models; with EVENTSTORE_URL not the event store's server.
  const database = new Pool({ connectionString: config.DATABASE_URL, max: 1 });
  database.on('error', (error) => logger.warn({ err: error }, 'postgres: idle client error'));
  const dependencies = { database: () => database.query('SELECT 1'), eventStore: () => store.headCheckpoint(), kafka: () => bus.ping() };
  const health = await serveHealth({ component, dependencies, lag: service.lag, kafkaTopic }, { port: config.PORT, logger });
  logger.info({ port: health.port }, `${component}: health on /health`);
  const shutdown = async () => {
    await health.close();
    await database.end();
    await service.stop();
    await bus.close();
    await store.close();
  };
  stopOnSignals(shutdown);
}
