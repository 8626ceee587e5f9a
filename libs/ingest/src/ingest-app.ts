import type { DynamicModule, INestApplication, LoggerService } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { migrateIngest } from './database/migrate-ingest';
import { CarerPairings } from './events/carer-pairings';
import { problemOf, ProblemDetailsFilter, sendProblem } from './http/problem-details.filter';
import { requestIdMiddleware } from './http/request-id.middleware';
import type { IngestDependencies } from './ingest-dependencies';
import { IngestModule } from './ingest.module';
import { IngestMetrics } from './observability/metrics';

const ROSTER_PATH = /^\/api\/v1\/schools\/[^/]+\/roster$/;

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
 * Builds the ingest HTTP app on the given adapters: its tables migrated, body limits, request
 * ids, problem details, OpenAPI at /api/docs (JSON at /api/docs-json). `mounted` modules (e.g. the
 * read models' endpoints) share its guard, filters and OpenAPI document. The caller listens.
 */
export async function createIngestApp(deps: IngestDependencies, mounted: readonly DynamicModule[] = []): Promise<INestApplication> {
  await migrateIngest(deps.databaseUrl);
  const limit = deps.config.INGEST_MAX_BODY_BYTES;
  const server = express();
  server.disable('x-powered-by');
  server.set('query parser', 'simple');
  server.use(requestIdMiddleware(deps.logger));
  // Events are read as text and parsed by the controller (JSON, array or NDJSON); rosters as bytes.
  server.use('/api/v1/events', express.text({ type: () => true, limit }));
  const roster = express.raw({ type: () => true, limit });
  server.use((request: Request, response: Response, next: NextFunction) => (ROSTER_PATH.test(request.path) ? roster(request, response, next) : next()));
  server.use(express.json({ limit: '1mb' }));
  server.use((error: unknown, request: Request, response: Response, next: NextFunction) => {
    if (response.headersSent) return next(error);
    sendProblem(response, problemOf(error, request.requestId, deps.logger));
  });

  const app = await NestFactory.create({ module: IngestAppModule, imports: [IngestModule.register(deps), ...mounted] }, new ExpressAdapter(server), { bodyParser: false, logger: nestLogger(deps.logger) });
  app.useGlobalFilters(new ProblemDetailsFilter(deps.logger));
  const metrics = app.get(IngestMetrics);
  server.use((request: Request, response: Response, next: NextFunction) => {
    const end = metrics.httpRequests.startTimer({ method: request.method });
    response.on('finish', () => end({ route: (request.route as { path?: string } | undefined)?.path ?? 'unmatched', status: String(response.statusCode) }));
    next();
  });
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Left-behind children care: school ingest API')
      .setDescription('Events, web forms, roster import and accounts (see API.md, INTERCHANGE.md). Errors are RFC 9457 problem details.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  await app.init();
  await app.get(CarerPairings).catchUp();
  return app;
}
