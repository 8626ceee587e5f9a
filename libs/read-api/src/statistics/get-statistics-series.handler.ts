import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import { cellsOf, indicatorOf } from '@lbc/domain';
import { formatScope } from '@lbc/read-models';
import { CountyStatistics } from './county-statistics';
import { GetStatisticsSeriesQuery } from './get-statistics-series.query';
import type { StatisticsSeriesResult } from './statistics-results';
import { headerOf, hidesAny } from './statistics-results';

@QueryHandler(GetStatisticsSeriesQuery)
export class GetStatisticsSeriesHandler implements IQueryHandler<GetStatisticsSeriesQuery> {
  constructor(private readonly statistics: CountyStatistics) {}

  async execute({ scope, indicator, periods, actor }: GetStatisticsSeriesQuery): Promise<StatisticsSeriesResult> {
    const cells = cellsOf(indicator);
    const { dataAsOf, snapshots } = await this.statistics.readFor(actor, scope, periods, cells);
    const points = snapshots.map((snapshot) => ({
      asOf: snapshot.period.asOf,
      from: snapshot.period.from,
      value: indicatorOf(indicator, snapshot.measuresOf(scope), snapshot.hiddenIn(scope)),
    }));
    const suppressed = snapshots.some((snapshot) => hidesAny(snapshot.hiddenIn(scope), cells));
    return { ...headerOf(formatScope(scope), periods[periods.length - 1], dataAsOf, suppressed), indicator, points };
  }
}
