import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import type { Cell } from '@lbc/domain';
import { defaultFrom, indicatorOf } from '@lbc/domain';
import { formatScope } from '@lbc/read-models';
import { CountyStatistics } from '../statistics/county-statistics';
import { hidesAny } from '../statistics/statistics-results';
import type { ChildrenInCareResult } from './get-children-in-care.query';
import { GetChildrenInCareQuery } from './get-children-in-care.query';

const CELLS: readonly Cell[] = ['childrenInCare', 'leftBehindChildren'];

/** The two counts as `GET /api/v1/stats` shows them: same access, same suppression pattern. */
@QueryHandler(GetChildrenInCareQuery)
export class GetChildrenInCareHandler implements IQueryHandler<GetChildrenInCareQuery> {
  constructor(private readonly statistics: CountyStatistics) {}

  async execute({ scope, asOf, recordedBy, actor }: GetChildrenInCareQuery): Promise<ChildrenInCareResult> {
    const period = { asOf, from: defaultFrom(asOf), recordedBy };
    const { dataAsOf, snapshots } = await this.statistics.readFor(actor, scope, [period], CELLS);
    const [measures, hidden] = [snapshots[0].measuresOf(scope), snapshots[0].hiddenIn(scope)];
    return {
      scope: formatScope(scope),
      asOf,
      recordedBy,
      dataAsOf,
      suppressed: hidesAny(hidden, CELLS),
      childrenInCare: indicatorOf('childrenInCare', measures, hidden),
      leftBehindChildren: indicatorOf('leftBehindChildren', measures, hidden),
    };
  }
}
