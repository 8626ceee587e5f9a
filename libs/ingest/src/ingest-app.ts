import type { DynamicModule, INestApplication, LoggerService } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { migrateIngest } from './database/migrate-ingest';
import { CarerPairings } from './events/carer-pairings';
import { SUBMITTED_EVENT_SCHEMA } from './events/events.dto';
import { answerClientErrorsAsProblems, createOpenApiDocument, methodNotAllowed, ProblemDetailsFilter, requestIdMiddleware, RequestInputInterceptor } from '@lbc/http';
import type { IngestDependencies } from './ingest-dependencies';
import { IngestModule } from './ingest.module';
import { IngestMetrics } from './observability/metrics';

/** Nest's own messages (start-up, errors it logs itself) go to the structured log. */
function nestLogger(logger: Logger): LoggerService {
  return {
    log: () => undefined,
    warn: (message: unknown) => logger.warn({ nest: true }, String(message)),
    error: (message: unknown) => logger.error({ nest: true }, String(message)),
  };
}

/** Root of the app: the ingest plus whatever the composing app mounts beside it. */
@Module({})
class IngestAppModule {}

/**
 * Builds the ingest HTTP app on the given adapters: its tables migrated, request ids, 405 for a
 * known path's unknown method, bodies read and input checked after authentication, problem details
 * (also for what Node's parser refuses), OpenAPI at /api/docs (JSON at /api/docs-json). `mounted` modules (e.g. the
 * read models' endpoints) share its guard, filters and OpenAPI document. The caller listens.
 */
export async function createIngestApp(deps: IngestDependencies, mounted: readonly DynamicModule[] = []): Promise<INestApplication> {
  await migrateIngest(deps.databaseUrl);
  const server = express();
  server.disable('x-powered-by');
  server.set('query parser', 'simple');
  server.use(requestIdMiddleware(deps.logger));

  const app = await NestFactory.create({ module: IngestAppModule, imports: [IngestModule.register(deps), ...mounted] }, new ExpressAdapter(server), { bodyParser: false, logger: nestLogger(deps.logger) });
  answerClientErrorsAsProblems(app.getHttpServer() as Server);
  app.useGlobalFilters(new ProblemDetailsFilter(deps.logger));
  // Bodies are read after the guard has decided who is calling (RequestInputInterceptor).
  app.useGlobalInterceptors(new RequestInputInterceptor(deps.config.INGEST_MAX_BODY_BYTES));
  const metrics = app.get(IngestMetrics);
  server.use((request: Request, response: Response, next: NextFunction) => {
    const end = metrics.httpRequests.startTimer({ method: request.method });
    response.on('finish', () => end({ route: (request.route as { path?: string } | undefined)?.path ?? 'unmatched', status: String(response.statusCode) }));
    next();
  });
  server.use(methodNotAllowed(server));
  SwaggerModule.setup('api/docs', app, createOpenApiDocument(app, { SubmittedEventDto: SUBMITTED_EVENT_SCHEMA }), { jsonDocumentUrl: 'api/docs-json' });
  await app.init();
  await app.get(CarerPairings).catchUp();
  return app;
}
