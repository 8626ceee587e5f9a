import type { Cell, Hidden, IndicatorKey, Indicators } from '@lbc/domain';
import type { StatisticsPeriod } from './statistics-params';

/** What every statistics answer starts with (INDICATORS.md "API"). */
export interface StatisticsHeader {
  readonly scope: string;
  readonly asOf: string;
  readonly from: string;
  /** Present only when the query gave one. */
  readonly recordedBy?: string;
  readonly dataAsOf: string | null;
  /** Whether any count shown is `*` (or a share null because of one). */
  readonly suppressed: boolean;
}

export interface StatisticsResult extends StatisticsHeader {
  readonly indicators: Indicators;
}

export interface SeriesPoint {
  readonly asOf: string;
  readonly from: string;
  readonly value: Indicators[IndicatorKey];
}

export interface StatisticsSeriesResult extends StatisticsHeader {
  readonly indicator: IndicatorKey;
  readonly points: readonly SeriesPoint[];
}

export interface BreakdownRow {
  /** `township:ID` or `school:ID`. */
  readonly unit: string;
  readonly name: string;
  /** A school row's township. */
  readonly townshipId?: string;
  readonly value: Indicators[IndicatorKey];
}

export interface StatisticsBreakdownResult extends StatisticsHeader {
  readonly by: 'township' | 'school';
  readonly indicator: IndicatorKey;
  readonly rows: readonly BreakdownRow[];
  /** The scope's own figure. */
  readonly total: { readonly unit: string; readonly value: Indicators[IndicatorKey] };
}

export function headerOf(scope: string, period: StatisticsPeriod, dataAsOf: string | null, suppressed: boolean): StatisticsHeader {
  return { scope, asOf: period.asOf, from: period.from, ...(period.recordedBy === null ? {} : { recordedBy: period.recordedBy }), dataAsOf, suppressed };
}

/** Whether a view hides any of the cells it shows. */
export function hidesAny(hidden: Hidden, cells: readonly Cell[]): boolean {
  return cells.some(hidden);
}
