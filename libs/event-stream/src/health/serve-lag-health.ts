import type { TopicReport } from '@lbc/messaging';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Logger } from 'pino';
import { LagHealthModule } from './lag-health.module';

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
