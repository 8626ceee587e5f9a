import type { StreamConfig } from '@lbc/config';
import type { EventStore } from '@lbc/event-store';
import { openEventStore } from '@lbc/event-store';
import { KafkaBus } from '@lbc/messaging';
import pino from 'pino';
import type { Logger } from 'pino';
import { serveLagHealth } from './health/serve-lag-health';
import { CARE_EVENTS_PARTITIONS, CARE_EVENTS_TOPIC } from './stream.constants';

export interface StreamServiceContext {
  readonly config: StreamConfig;
  readonly store: EventStore;
  readonly bus: KafkaBus;
  readonly logger: Logger;
}

export interface RunningStreamService {
  lag(): Promise<number>;
  /** Stops the component and closes what it opened itself. */
  stop(): Promise<void>;
}

/**
 * Runs the relay or the projector as a service of its own: the event store the configuration
 * names, Kafka with the `care-events` topic, `/health` with the lag, and an orderly stop on
 * SIGTERM/SIGINT.
 */
export async function runStreamService(
  component: 'relay' | 'projector',
  config: StreamConfig,
  start: (context: StreamServiceContext) => Promise<RunningStreamService>,
): Promise<void> {
  const logger = pino({ name: component });
  const store = await openEventStore({ eventStoreUrl: config.EVENTSTORE_URL, databaseUrl: config.DATABASE_URL, poolSize: 4 });
  const bus = await KafkaBus.connect({
    brokers: config.KAFKA_BROKERS,
    clientId: component,
    onHandlerError: (error, failure) => logger.error({ err: error, ...failure }, `${component}: batch failed, redelivering`),
  });
  await bus.createTopic(CARE_EVENTS_TOPIC, { partitions: CARE_EVENTS_PARTITIONS });
  const service = await start({ config, store, bus, logger });
  const health = await serveLagHealth({ component, lag: service.lag, port: config.PORT, logger });
  logger.info({ port: health.port }, `${component}: health on /health`);
  const shutdown = async () => {
    await health.close();
    await service.stop();
    await bus.close();
    await store.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
}
