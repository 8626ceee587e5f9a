import { Query } from '@nestjs/cqrs';
import type { IndicatorKey } from '@lbc/domain';
import type { Session } from '@lbc/http';
import type { Scope } from '@lbc/read-models';
import type { StatisticsSeriesResult } from './statistics-results';

/** One indicator of a scope at `months` month-ends up to `asOf`, as far as `actor` may see it. */
export class GetStatisticsSeriesQuery extends Query<StatisticsSeriesResult> {
  constructor(
    readonly scope: Scope,
    readonly indicator: IndicatorKey,
    /** The points' periods, oldest first; the last is the query's `asOf`. */
    readonly periods: readonly { readonly asOf: string; readonly from: string; readonly recordedBy: string | null }[],
    readonly actor: Session,
  ) {
    super();
  }
}
