import type { TopicReport } from '@lbc/messaging';
import type { DynamicModule } from '@nestjs/common';
import { Controller, Get, Inject, Module } from '@nestjs/common';

const LAG = Symbol('LAG');

export interface LagHealth {
  readonly status: 'ok';
  readonly component: string;
  /** Events in the store not yet handled by this component (counted up to `LAG_COUNT_LIMIT`). */
  readonly lag: number;
  /** The Kafka topic as the component found it at start: its replication, and what it falls short of. */
  readonly kafkaTopic?: TopicReport;
}

interface LagSource {
  readonly component: string;
  readonly lag: () => Promise<number>;
  readonly kafkaTopic?: TopicReport;
}

@Controller('health')
class LagHealthController {
  constructor(@Inject(LAG) private readonly source: LagSource) {}

  @Get()
  async health(): Promise<LagHealth> {
    const { component, kafkaTopic } = this.source;
    return { status: 'ok', component, lag: await this.source.lag(), ...(kafkaTopic ? { kafkaTopic } : {}) };
  }
}

/** `GET /health` of the relay and projector apps: alive, and how far behind the store's head. */
@Module({})
export class LagHealthModule {
  static forRoot(source: LagSource): DynamicModule {
    return { module: LagHealthModule, controllers: [LagHealthController], providers: [{ provide: LAG, useValue: source }] };
  }
}
