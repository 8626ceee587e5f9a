import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Logger } from 'pino';
import { ProblemDetailsFilter } from '@lbc/http';
import type { HealthSource } from './health';
import { checkHealth } from './health';
import { HealthModule } from './health.module';

const HEALTH_LOG_INTERVAL_MS = 10_000;

/**
 * Serves `GET /health` of the relay or projector as a service of its own, and logs its health
 * (lag, dependencies) every 10 s. Returns the function that stops both.
 */
export async function serveHealth(source: HealthSource, options: { port: number; logger: Logger }): Promise<{ port: number; close: () => Promise<void> }> {
  const app: INestApplication = await NestFactory.create(HealthModule.forRoot(source), { logger: false });
  app.useGlobalFilters(new ProblemDetailsFilter(options.logger));
  await app.listen(options.port, '0.0.0.0');
  const address = app.getHttpServer().address() as { port: number };
  const timer = setInterval(() => {
    void checkHealth(source).then((health) => {
      const { status, component, dependencies, lag } = health;
      if (status === 'ok') options.logger.info({ component, lag }, 'lag');
      else options.logger.warn({ component, dependencies, lag }, 'unavailable');
    });
  }, HEALTH_LOG_INTERVAL_MS);
  timer.unref();
  return {
    port: address.port,
    close: async () => {
      clearInterval(timer);
      await app.close();
    },
  };
}
