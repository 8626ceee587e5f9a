import { ConfigError, environmentSchema } from '@lbc/config';
import type { TopicReport } from '@lbc/messaging';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Logger } from 'pino';
import { LagHealthModule } from './health/lag-health.module';

const streamEnvironment = environmentSchema.pick({
  PORT: true,
  DATABASE_URL: true,
  EVENTSTORE_URL: true,
  KAFKA_BROKERS: true,
  KAFKA_REPLICATION_FACTOR: true,
  KAFKA_MIN_INSYNC_REPLICAS: true,
});

export interface StreamConfig {
  readonly port: number;
  readonly databaseUrl: string;
  /** Set: the events are in EventStoreDB (the checkpoints and read models stay in PostgreSQL). */
  readonly eventStoreUrl?: string;
  /** Empty when loaded without `kafka`. */
  readonly kafkaBrokers: string[];
  /** Replication of the topic; unset settings follow the cluster's size. */
  readonly kafkaTopic: { readonly replicationFactor?: number; readonly minInsyncReplicas?: number };
}

/**
 * The relay and projector need only these of the environment (not the platform's secrets):
 * validated once at start, each problem naming its variable.
 */
export function loadStreamConfig(env: Readonly<Record<string, string | undefined>>, { kafka = true } = {}): StreamConfig {
  const parsed = streamEnvironment.safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  const { PORT, DATABASE_URL, EVENTSTORE_URL, KAFKA_BROKERS, KAFKA_REPLICATION_FACTOR, KAFKA_MIN_INSYNC_REPLICAS } = parsed.data;
  const missing = [
    ...(DATABASE_URL ? [] : ['DATABASE_URL: required (the event store and read models)']),
    ...(KAFKA_BROKERS?.length || !kafka ? [] : ['KAFKA_BROKERS: required (host:port,…)']),
  ];
  if (!DATABASE_URL || missing.length) throw new ConfigError(missing);
  return {
    port: PORT,
    databaseUrl: DATABASE_URL,
    eventStoreUrl: EVENTSTORE_URL,
    kafkaBrokers: KAFKA_BROKERS ?? [],
    kafkaTopic: { replicationFactor: KAFKA_REPLICATION_FACTOR, minInsyncReplicas: KAFKA_MIN_INSYNC_REPLICAS },
  };
}

const LAG_LOG_INTERVAL_MS = 10_000;

/**
 * Serves `GET /health` with the component's lag and logs the lag every 10 s. Returns the
 * function that stops both.
 */
export async function serveLagHealth(options: {
  component: string;
  lag: () => Promise<number>;
  /** The Kafka topic as found at start, with what it falls short of. */
  kafkaTopic?: TopicReport;
  port: number;
  logger: Logger;
}): Promise<{ port: number; close: () => Promise<void> }> {
  const source = { component: options.component, lag: options.lag, kafkaTopic: options.kafkaTopic };
  const app: INestApplication = await NestFactory.create(LagHealthModule.forRoot(source), {
    logger: false,
  });
  await app.listen(options.port, '0.0.0.0');
  const address = app.getHttpServer().address() as { port: number };
  const timer = setInterval(() => {
    options.lag().then(
      (lag) => options.logger.info({ component: options.component, lag }, 'lag'),
      (error: unknown) => options.logger.warn({ err: error }, 'lag: counting failed'),
    );
  }, LAG_LOG_INTERVAL_MS);
  timer.unref();
  return {
    port: address.port,
    close: async () => {
      clearInterval(timer);
      await app.close();
    },
  };
}
