import type { DynamicModule } from '@nestjs/common';
import { Controller, Get, Inject, Module, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { Public, validate } from '@lbc/http';
import type { Health, HealthSource } from './health';
import { checkHealth } from './health';

const HEALTH_SOURCE = Symbol('HEALTH_SOURCE');

const healthQuery = z.strictObject({ probe: z.enum(['live', 'ready']).default('ready') });

const UP_DOWN = { type: 'string', enum: ['up', 'down'] };
const HEALTH_SCHEMA = {
  type: 'object',
  required: ['status', 'component'],
  properties: {
    status: { type: 'string', enum: ['ok', 'unavailable'] },
    component: { type: 'string', enum: ['platform', 'ingest', 'relay', 'projector'] },
    dependencies: { type: 'object', properties: { database: UP_DOWN, eventStore: UP_DOWN, kafka: UP_DOWN } },
    lag: { type: 'integer', nullable: true, description: 'Events in the store not yet applied by the projector of this process (the relay: not yet published), counted up to 10,000; null while the event store is down' },
    kafkaTopic: { type: 'object', description: 'The Kafka topic as found at start: its replication and what it falls short of' },
  },
};

@ApiTags('operations')
@Controller('health')
class HealthController {
  constructor(@Inject(HEALTH_SOURCE) private readonly source: HealthSource) {}

  @Public()
  @Get()
  @ApiOperation({
    summary: 'Readiness: every dependency answers (503 naming the one that is down), with the projector lag; `?probe=live`: liveness, the process serves',
  })
  @ApiQuery({ name: 'probe', required: false, schema: { type: 'string', enum: ['live', 'ready'], default: 'ready' } })
  @ApiOkResponse({ schema: HEALTH_SCHEMA })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down (readiness only)', schema: HEALTH_SCHEMA })
  async health(@Query() query: unknown, @Res({ passthrough: true }) response: Response): Promise<Health | { status: 'ok'; component: string }> {
    // Liveness asks nothing of the dependencies: a database outage must not get the process restarted.
    if (validate(healthQuery, query, 'query').probe === 'live') return { status: 'ok', component: this.source.component };
    const health = await checkHealth(this.source);
    if (health.status !== 'ok') response.status(503);
    return health;
  }
}

/**
 * `GET /health` of every process: readiness (each dependency up, 503 otherwise) with the lag of
 * the projector that runs in it, and `?probe=live` for liveness.
 */
@Module({})
export class HealthModule {
  static forRoot(source: HealthSource): DynamicModule {
    return { module: HealthModule, controllers: [HealthController], providers: [{ provide: HEALTH_SOURCE, useValue: source }] };
  }
}
