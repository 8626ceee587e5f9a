import type { Sheet } from '../export/sheet';
import { leavesOf, safeFileName } from '../export/sheet';
import type { StatisticsBreakdownResult, StatisticsHeader, StatisticsResult, StatisticsSeriesResult } from './statistics-results';

/** What `*` means, in both languages (INDICATORS.md "How it reads"). */
export function legendOf(k: number): string {
  return `* = fewer than ${k}, or hidden so that a small count cannot be worked out; * = 少于${k}，或为防止推算出小数而隐藏`;
}

function headerBlock(result: StatisticsHeader, k: number, extra: readonly (readonly [string, string])[]): (readonly [string, string])[] {
  return [
    ['scope', result.scope],
    ...extra,
    ['asOf', result.asOf],
    ['from', result.from],
    ...(result.recordedBy === undefined ? [] : [['recordedBy', result.recordedBy] as const]),
    ['dataAsOf', result.dataAsOf ?? ''],
    ['suppressed', String(result.suppressed)],
    ['legend', legendOf(k)],
  ];
}

/** `GET /stats`: one row per figure (`carerLoad.mean`), its value. */
export function statisticsSheet(result: StatisticsResult, k: number): Sheet {
  return {
    fileName: safeFileName(['stats', result.scope, result.asOf]),
    header: headerBlock(result, k, []),
    columns: ['indicator', 'value'],
    rows: Object.entries(result.indicators).flatMap(([key, value]) => leavesOf(value, key)),
  };
}

/** `GET /stats/series`: one row per point, a column per figure of the indicator. */
export function seriesSheet(result: StatisticsSeriesResult, k: number): Sheet {
  const names = leavesOf(result.points[0].value, result.indicator).map(([name]) => name);
  return {
    fileName: safeFileName(['stats-series', result.indicator, result.scope, result.asOf]),
    header: headerBlock(result, k, [['indicator', result.indicator]]),
    columns: ['asOf', 'from', ...names],
    rows: result.points.map((point) => [point.asOf, point.from, ...leavesOf(point.value, result.indicator).map(([, value]) => value)]),
  };
}

/** `GET /stats/breakdown`: one row per unit, then the scope's own total; a column per figure. */
export function breakdownSheet(result: StatisticsBreakdownResult, k: number): Sheet {
  const values = (value: unknown) => leavesOf(value, result.indicator).map(([, cell]) => cell);
  return {
    fileName: safeFileName(['stats-breakdown', result.indicator, 'by', result.by, result.scope, result.asOf]),
    header: headerBlock(result, k, [
      ['indicator', result.indicator],
      ['by', result.by],
    ]),
    columns: ['unit', 'name', 'townshipId', ...leavesOf(result.total.value, result.indicator).map(([name]) => name)],
    rows: [...result.rows.map((row) => [row.unit, row.name, row.townshipId ?? null, ...values(row.value)]), [result.total.unit, 'total', null, ...values(result.total.value)]],
  };
}
