import { z } from 'zod';
import { CALENDAR_DATE, ID_PATTERN, INSTANT_WITH_OFFSET } from '@lbc/domain';
import type { Scope } from '@lbc/read-models';

/** `kind:ID` of one of `kinds`, the id as the interchange format writes them (`ID_PATTERN`): no NUL, no blanks. */
export const scopePattern = (kinds: readonly Scope['kind'][]) => new RegExp(`^(${kinds.join('|')}):(${ID_PATTERN.source.slice(1, -1)})$`);
/** The earliest instant a query may name: the first day of the calendar the domain keeps (`CALENDAR_DATE`). */
const EARLIEST_DATE = '1900-01-01';

/** A scope of one of `kinds`; the OpenAPI states the same `scopePattern(kinds)`. */
export const scopeParamOf = <K extends Scope['kind']>(kinds: readonly K[]) => {
  const pattern = scopePattern(kinds);
  const message = `must be one of ${kinds.map((kind) => `${kind}:ID`).join(', ')}`;
  return z.string().transform((text, context): { kind: K; id: string } => {
    const match = pattern.exec(text);
    if (match === null) {
      context.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return { kind: match[1] as K, id: match[2] };
  });
};

export const SCOPE_KINDS: readonly Scope['kind'][] = ['county', 'township', 'school'];
export const scopeParam = scopeParamOf(SCOPE_KINDS);
/** A breakdown lists the townships or schools of a county, or the schools of a township. */
export const BREAKDOWN_SCOPE_KINDS = ['county', 'township'] as const;

/** A county-local calendar date (`2025-02-30` and `0000-01-01` are refused). */
export const dateParam = z.string().regex(CALENDAR_DATE, `must be a calendar date YYYY-MM-DD from ${EARLIEST_DATE}`);

/**
 * An instant with an offset PostgreSQL takes (up to ±14:59), on the same calendar, written with
 * seconds as RFC 3339 `date-time` requires of the echo (`T00:00Z` → `T00:00:00Z`). The sender's
 * offset and fraction are kept: in UTC `9999-12-31T23:59-14:00` would fall in year 10000, which
 * no `date-time` can write, and microseconds still count against `recorded_at`.
 */
export const recordedByParam = z
  .string()
  .regex(INSTANT_WITH_OFFSET, `must be an ISO-8601 timestamp with offset, from ${EARLIEST_DATE}`)
  .transform((text) => text.replace(/^(.{10}T\d{2}:\d{2})(?=[Z+-])/, '$1:00'));

export const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,4}$/, `must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be a whole number from ${min} to ${max}`);
