import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import { CELLS, indicatorsOf } from '@lbc/domain';
import { formatScope } from '@lbc/read-models';
import { CountyStatistics } from './county-statistics';
import { GetStatisticsQuery } from './get-statistics.query';
import type { StatisticsResult } from './statistics-results';
import { headerOf, hidesAny } from './statistics-results';

@QueryHandler(GetStatisticsQuery)
export class GetStatisticsHandler implements IQueryHandler<GetStatisticsQuery> {
  constructor(private readonly statistics: CountyStatistics) {}

  async execute({ scope, period, actor }: GetStatisticsQuery): Promise<StatisticsResult> {
    const { dataAsOf, snapshots } = await this.statistics.readFor(actor, scope, [period], CELLS);
    const hidden = snapshots[0].hiddenIn(scope);
    return { ...headerOf(formatScope(scope), period, dataAsOf, hidesAny(hidden, CELLS)), indicators: indicatorsOf(snapshots[0].measuresOf(scope), hidden) };
  }
}
