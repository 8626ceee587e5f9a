import { z } from 'zod';
import { defaultFrom, INDICATOR_KEYS, monthEnds } from '@lbc/domain';
import type { IndicatorKey } from '@lbc/domain';
import { Problem } from '@lbc/http';
import { BREAKDOWN_SCOPE_KINDS, dateParam, recordedByParam, scopeParam, scopeParamOf, wholeNumber } from '../query-params';

export const FORMATS = ['json', 'csv', 'xlsx'] as const;
export type Format = (typeof FORMATS)[number];

export const MAX_MONTHS = 60;
export const DEFAULT_MONTHS = 12;
export const BREAKDOWN_BY = ['township', 'school'] as const;

/** Every statistics endpoint takes these (INDICATORS.md "API"). */
const common = {
  scope: scopeParam,
  asOf: dateParam.optional(),
  from: dateParam.optional(),
  recordedBy: recordedByParam.optional(),
  format: z.enum(FORMATS).default('json'),
};
const indicator = z.enum(INDICATOR_KEYS as [IndicatorKey, ...IndicatorKey[]]);

export const statisticsQuery = z.strictObject(common);
export const seriesQuery = z.strictObject({ ...common, indicator, months: wholeNumber(1, MAX_MONTHS).default(DEFAULT_MONTHS) });
export const breakdownQuery = z.strictObject({ ...common, scope: scopeParamOf(BREAKDOWN_SCOPE_KINDS), indicator, by: z.enum(BREAKDOWN_BY) });

/** `asOf` and `from` as a figure is made for, `recordedBy` null when none is given. */
export interface StatisticsPeriod {
  readonly asOf: string;
  readonly from: string;
  readonly recordedBy: string | null;
}

/**
 * The period a query asks for: `asOf` today (county-local) unless given, `from` the start of the
 * school year containing `asOf` unless given. `from` after `asOf` breaks no parameter's own rule
 * but one between them: a 422 naming `from`.
 */
export function periodOf(query: { readonly asOf?: string; readonly from?: string; readonly recordedBy?: string }, today: string): StatisticsPeriod {
  const asOf = query.asOf ?? today;
  const from = query.from ?? defaultFrom(asOf);
  if (from > asOf) throw new Problem(422, 'invalid-value', `query.from: must be on or before asOf (${asOf})`, 'query.from');
  return { asOf, from, recordedBy: query.recordedBy ?? null };
}

/**
 * The periods of a series' points (month-ends, then `asOf`): each with the given `from`, or by
 * default the start of its own school year, as `GET /stats` at that date would take. A given `from`
 * after the first point is a 422 naming `from`.
 */
export function seriesPeriodsOf(query: { readonly asOf?: string; readonly from?: string; readonly recordedBy?: string; readonly months: number }, today: string): StatisticsPeriod[] {
  const { asOf, recordedBy } = periodOf(query, today);
  const points = monthEnds(asOf, query.months);
  if (query.from !== undefined && query.from > points[0]) {
    throw new Problem(422, 'invalid-value', `query.from: must be on or before the series' first point (${points[0]})`, 'query.from');
  }
  return points.map((point) => ({ asOf: point, from: query.from ?? defaultFrom(point), recordedBy }));
}
