import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import { cellsOf, indicatorOf } from '@lbc/domain';
import type { CountyUnit, Scope } from '@lbc/read-models';
import { formatScope } from '@lbc/read-models';
import { CountyStatistics } from './county-statistics';
import { GetStatisticsBreakdownQuery } from './get-statistics-breakdown.query';
import type { StatisticsBreakdownResult } from './statistics-results';
import { headerOf, hidesAny } from './statistics-results';

interface RowUnit {
  readonly scope: Scope;
  readonly name: string;
  readonly townshipId?: string;
}

/** Every unit of the scope, zeros included, in unit-id order. */
function rowUnits(units: readonly CountyUnit[], scope: GetStatisticsBreakdownQuery['scope'], by: GetStatisticsBreakdownQuery['by']): RowUnit[] {
  const inScope = units.filter((unit) => scope.kind === 'county' || unit.townshipId === scope.id);
  const rows =
    by === 'school'
      ? inScope.map((unit) => ({ scope: { kind: 'school' as const, id: unit.schoolId }, name: unit.schoolName, townshipId: unit.townshipId }))
      : [...new Map(inScope.map((unit) => [unit.townshipId, { scope: { kind: 'township' as const, id: unit.townshipId }, name: unit.townshipName }])).values()];
  return rows.sort((a, b) => (a.scope.id < b.scope.id ? -1 : a.scope.id > b.scope.id ? 1 : 0));
}

@QueryHandler(GetStatisticsBreakdownQuery)
export class GetStatisticsBreakdownHandler implements IQueryHandler<GetStatisticsBreakdownQuery> {
  constructor(private readonly statistics: CountyStatistics) {}

  async execute({ scope, by, indicator, period, actor }: GetStatisticsBreakdownQuery): Promise<StatisticsBreakdownResult> {
    const cells = cellsOf(indicator);
    const { dataAsOf, snapshots } = await this.statistics.readFor(actor, scope, [period], cells);
    const [snapshot] = snapshots;
    const units = rowUnits(snapshot.units, scope, by);
    const valueOf = (unit: Scope) => indicatorOf(indicator, snapshot.measuresOf(unit), snapshot.hiddenIn(unit));
    const rows = units.map((unit) => ({ unit: formatScope(unit.scope), name: unit.name, ...(unit.townshipId === undefined ? {} : { townshipId: unit.townshipId }), value: valueOf(unit.scope) }));
    const suppressed = [scope, ...units.map((unit) => unit.scope)].some((unit) => hidesAny(snapshot.hiddenIn(unit), cells));
    return { ...headerOf(formatScope(scope), period, dataAsOf, suppressed), by, indicator, rows, total: { unit: formatScope(scope), value: valueOf(scope) } };
  }
}
