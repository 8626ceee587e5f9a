import { z } from 'zod';
import { CALENDAR_DATE, ID_PATTERN, INSTANT_WITH_OFFSET } from '@lbc/domain';
import type { Scope } from '@lbc/read-models';

/** A scope names an id as the interchange format writes them (`ID_PATTERN`): no NUL, no blanks. */
const SCOPE = new RegExp(`^(county|township|school):(${ID_PATTERN.source.slice(1, -1)})$`);
/** The earliest instant a query may name: the first day of the calendar the domain keeps (`CALENDAR_DATE`). */
const EARLIEST_DATE = '1900-01-01';

export const scopeParam = z.string().transform((text, context): Scope => {
  const match = SCOPE.exec(text);
  if (match === null) {
    context.addIssue({ code: 'custom', message: 'must be county:ID, township:ID or school:ID' });
    return z.NEVER;
  }
  return { kind: match[1] as Scope['kind'], id: match[2] };
});

/** A county-local calendar date (`2025-02-30` and `0000-01-01` are refused). */
export const dateParam = z.string().regex(CALENDAR_DATE, `must be a calendar date YYYY-MM-DD from ${EARLIEST_DATE}`);

/** An instant with an offset PostgreSQL takes (up to ±14:59), on the same calendar. */
export const recordedByParam = z.string().regex(INSTANT_WITH_OFFSET, `must be an ISO-8601 timestamp with offset, from ${EARLIEST_DATE}`);

export const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,4}$/, `must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be a whole number from ${min} to ${max}`);
