import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Pool } from 'pg';
import { Public } from '../auth/auth.decorators';
import { POOL } from '../tokens';
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
  @ApiOkResponse({ schema: { example: { status: 'ok', database: 'up' } } })
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
  @ApiExcludeEndpoint()
  @Header('Content-Type', 'text/plain; version=0.0.4')
  metricsText(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
