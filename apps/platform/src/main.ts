import pino from 'pino';
import { loadConfig } from '@lbc/config';
import { createIngestApp, openIngestDependencies, serveIngestApp } from '@lbc/ingest';
import type { Bus } from '@lbc/messaging';
import { InProcessBus, KafkaBus } from '@lbc/messaging';
import { ReadApiModule } from '@lbc/read-api';
import { CARE_EVENTS_PARTITIONS, CARE_EVENTS_TOPIC, PROJECTOR_GROUP, createCareEventsTopic, startProjector, startRelay } from '@lbc/stream';

/**
 * The whole platform in one process (`npm start`): ingest API, relay, projector and the read-side
 * API (statistics, school lists). By default on an embedded PostgreSQL with an in-process bus and
 * the demo county; DATABASE_URL, EVENTSTORE_URL and KAFKA_BROKERS switch to external infrastructure.
 */
async function main(): Promise<void> {
  const logger = pino({ name: 'platform' });
  const config = loadConfig(process.env);
  const opened = await openIngestDependencies(config, logger);
  const { databaseUrl, eventStore, readModels } = opened.deps;
  const bus: Bus = config.KAFKA_BROKERS
    ? await KafkaBus.connect({ brokers: config.KAFKA_BROKERS, clientId: 'platform' })
    : new InProcessBus({ partitions: CARE_EVENTS_PARTITIONS });
  if (bus instanceof KafkaBus) {
    await createCareEventsTopic(bus, { replicationFactor: config.KAFKA_REPLICATION_FACTOR, minInsyncReplicas: config.KAFKA_MIN_INSYNC_REPLICAS }, logger);
  }
  // The projector joins before the relay publishes: the in-process bus hands each batch to the
  // groups registered at that moment and only then lets the relay move its checkpoint.
  const projector = await startProjector({ bus, readModels, topic: CARE_EVENTS_TOPIC, groupId: PROJECTOR_GROUP, store: eventStore, logger });
  const relay = await startRelay({ store: eventStore, bus, databaseUrl, topic: CARE_EVENTS_TOPIC, logger });

  const app = await createIngestApp(opened.deps, [ReadApiModule.forRoot(opened.deps)]);
  await serveIngestApp(app, opened, {
    name: 'Platform',
    beforeClose: async () => {
      await relay.stop();
      await projector.stop();
      await bus.close();
    },
  });
}

main().catch((error: unknown) => {
  // Something may reject with no reason at all: say so rather than print `undefined`.
  console.error(error instanceof Error ? error : `The platform failed without a reason (${String(error)})`);
  process.exit(1);
});
