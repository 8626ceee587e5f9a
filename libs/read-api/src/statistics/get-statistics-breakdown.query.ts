import { Query } from '@nestjs/cqrs';
import type { IndicatorKey } from '@lbc/domain';
import type { Session } from '@lbc/http';
import type { Scope } from '@lbc/read-models';
import type { StatisticsPeriod } from './statistics-params';
import type { StatisticsBreakdownResult } from './statistics-results';

/** One indicator for every township or school of a county or township scope, and the scope's own. */
export class GetStatisticsBreakdownQuery extends Query<StatisticsBreakdownResult> {
  constructor(
    readonly scope: Scope & { readonly kind: 'county' | 'township' },
    readonly by: 'township' | 'school',
    readonly indicator: IndicatorKey,
    readonly period: StatisticsPeriod,
    readonly actor: Session,
  ) {
    super();
  }
}
