import { join } from 'node:path';
import pino from 'pino';
import { loadTreeHeadKey, migrateAudit, startAudit } from '@lbc/audit';
import { exitOnStartFailure, loadConfig } from '@lbc/config';
import { WebAppModule } from '@lbc/web-host';
import { createIngestApp, openIngestDependencies, serveIngestApp } from '@lbc/ingest';
import type { Bus, TopicReport } from '@lbc/messaging';
import { InProcessBus, KafkaBus } from '@lbc/messaging';
import { ReadApiModule } from '@lbc/read-api';
import { CARE_EVENTS_PARTITIONS, CARE_EVENTS_TOPIC, PROJECTOR_GROUP, createCareEventsTopic, startProjector, startRelay } from '@lbc/event-stream';

/** The dashboard's build (apps/web), served at `/`. */
const WEB_ROOT = join(__dirname, '..', '..', '..', 'dist', 'apps', 'web');

/**
 * The whole platform in one process (`npm start`): ingest API, relay, projector, the read-side
 * API (statistics, school lists), the auditors' API with its tree builder, and the web app. By
 * default on an embedded PostgreSQL with an in-process bus and the demo county; DATABASE_URL, EVENTSTORE_URL and KAFKA_BROKERS switch to external infrastructure.
 */
async function main(): Promise<void> {
  const logger = pino({ name: 'platform' });
  const config = loadConfig(process.env);
  const treeHeadKey = loadTreeHeadKey({ keyFile: config.CHECKPOINT_KEY, origin: config.CHECKPOINT_ORIGIN, demoMode: config.DEMO_MODE, dataDir: config.DATA_DIR });
  const opened = await openIngestDependencies(config, logger, { alongside: [migrateAudit] });
  const { databaseUrl, eventStore, readModels, vault, pool } = opened.deps;
  const bus: Bus = config.KAFKA_BROKERS
    ? await KafkaBus.connect({ brokers: config.KAFKA_BROKERS, clientId: 'platform' })
    : new InProcessBus({ partitions: CARE_EVENTS_PARTITIONS });
  const kafkaTopic: TopicReport | undefined =
    bus instanceof KafkaBus
      ? await createCareEventsTopic(bus, { replicationFactor: config.KAFKA_REPLICATION_FACTOR, minInsyncReplicas: config.KAFKA_MIN_INSYNC_REPLICAS }, logger)
      : undefined;
  // The projector joins before the relay publishes: the in-process bus hands each batch to the
  // groups registered at that moment and only then lets the relay move its checkpoint.
  const projector = await startProjector({ bus, readModels, topic: CARE_EVENTS_TOPIC, groupId: PROJECTOR_GROUP, store: eventStore, logger });
  const relay = await startRelay({ store: eventStore, bus, databaseUrl, topic: CARE_EVENTS_TOPIC, logger });

  const audit = await startAudit({ eventStore, vault, auditPool: pool, treeHeadKey, onError: (error) => logger.warn({ err: error }, 'audit tree: retrying') });

  const health = { component: 'platform', lag: projector.lag, kafkaTopic, ...(bus instanceof KafkaBus ? { kafka: () => bus.ping() } : {}) };
  const app = await createIngestApp({ ...opened.deps, health }, [
    ReadApiModule.forRoot(opened.deps),
    audit.module,
    WebAppModule.forRoot(WEB_ROOT, (message) => logger.warn(message)),
  ]);
  await serveIngestApp(app, opened, {
    name: 'Platform',
    beforeClose: async () => {
      await audit.stop();
      await relay.stop();
      await projector.stop();
      await bus.close();
    },
  });
}

main().catch(exitOnStartFailure('platform'));
