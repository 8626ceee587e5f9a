import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Pool } from 'pg';
import { POOL, Public } from '@lbc/http';
import { IngestMetrics } from './metrics';

@ApiTags('operations')
@Controller()
export class ObservabilityController {
  constructor(
    @Inject(POOL) private readonly pool: Pool,
    private readonly metrics: IngestMetrics,
  ) {}

  @Public()
  @Get('health')
  @ApiOperation({ summary: 'Liveness and database reachability (503 when PostgreSQL is unreachable)' })
  @ApiOkResponse({ schema: { type: 'object', properties: { status: { type: 'string', enum: ['ok'] }, database: { type: 'string', enum: ['up'] } } } })
  @ApiServiceUnavailableResponse({
    schema: { type: 'object', properties: { status: { type: 'string', enum: ['error'] }, database: { type: 'string', enum: ['down'] } } },
  })
  async health(@Res({ passthrough: true }) response: Response): Promise<{ status: string; database: string }> {
    try {
      await this.pool.query('SELECT 1');
      return { status: 'ok', database: 'up' };
    } catch {
      response.status(503);
      return { status: 'error', database: 'down' };
    }
  }

  @Public()
  @Get('metrics')
  @ApiOperation({ summary: 'Prometheus metrics' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ schema: { type: 'string' } })
  @Header('Content-Type', 'text/plain; version=0.0.4')
  metricsText(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
