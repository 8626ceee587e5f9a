import { z } from 'zod';
import { isCalendarDate } from '@lbc/domain';
import type { Scope } from '@lbc/read-models';

/** Ids as the interchange format writes them (1–128 letters, digits and `. _ : -`): no NUL, no blanks. */
const SCOPE = /^(county|township|school):([A-Za-z0-9][A-Za-z0-9._:-]{0,127})$/;
/**
 * The earliest date a query may name: `Date.UTC` reads the years 0–99 as 1900–1999 and PostgreSQL
 * knows no year 0, and no care record predates 1970.
 */
const EARLIEST_DATE = '1970-01-01';

export const scopeParam = z.string().transform((text, context): Scope => {
  const match = SCOPE.exec(text);
  if (match === null) {
    context.addIssue({ code: 'custom', message: 'must be county:ID, township:ID or school:ID' });
    return z.NEVER;
  }
  return { kind: match[1] as Scope['kind'], id: match[2] };
});

/** A county-local calendar date (`2025-02-30` and `0000-01-01` are refused). */
export const dateParam = z.string().refine((text) => isCalendarDate(text) && text >= EARLIEST_DATE, `must be a calendar date YYYY-MM-DD from ${EARLIEST_DATE}`);

export const recordedByParam = z.iso
  .datetime({ offset: true, message: 'must be an ISO-8601 timestamp with offset' })
  .refine((text) => Date.parse(text) >= Date.parse(`${EARLIEST_DATE}T00:00:00Z`), `must be from ${EARLIEST_DATE}`);

export const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,4}$/, `must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be a whole number from ${min} to ${max}`);
