import { Query } from '@nestjs/cqrs';
import type { Session } from '@lbc/http';
import type { Scope } from '@lbc/read-models';
import type { StatisticsPeriod } from './statistics-params';
import type { StatisticsResult } from './statistics-results';

/** Every indicator of a scope for a period, as far as `actor` may see them. */
export class GetStatisticsQuery extends Query<StatisticsResult> {
  constructor(
    readonly scope: Scope,
    readonly period: StatisticsPeriod,
    readonly actor: Session,
  ) {
    super();
  }
}
