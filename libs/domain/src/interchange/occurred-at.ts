import { CALENDAR_DATE_SOURCE, isCalendarDate } from '../time/county-time';

const INSTANT = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

const TIME_WITH_OFFSET = 'T(?:[01]\\d|2[0-3]):[0-5]\\d(?::[0-5]\\d(?:\\.\\d{1,9})?)?(?:Z|[+-](?:0\\d|1[0-4]):[0-5]\\d)';
/** An ISO-8601 instant with offset, as `normaliseOccurredAt` takes one (offsets up to ±14:59). */
export const INSTANT_WITH_OFFSET = new RegExp(`^${CALENDAR_DATE_SOURCE}${TIME_WITH_OFFSET}$`);
/** What `normaliseOccurredAt` takes, as one pattern: for the OpenAPI description of the same rule. */
export const OCCURRED_AT = new RegExp(`^${CALENDAR_DATE_SOURCE}(?:${TIME_WITH_OFFSET})?$`);

/**
 * The canonical form of an `occurredAt`, or null when the text is neither an ISO-8601 instant with
 * offset nor a county-local date.
 *
 * Canonical form: `YYYY-MM-DDTHH:mm:ss.sss±HH:MM`, always with seconds and exactly three fraction
 * digits (digits beyond the millisecond are dropped), the sender's offset kept, `Z` and `-00:00`
 * written `+00:00`. A date `YYYY-MM-DD` means county-local midnight: `YYYY-MM-DDT00:00:00.000+08:00`.
 * One instant sent twice in one form therefore always normalises to the same text, which the
 * store's idempotency comparison relies on.
 */
export function normaliseOccurredAt(text: string): string | null {
  if (isCalendarDate(text)) return `${text}T00:00:00.000+08:00`;
  const m = INSTANT.exec(text);
  if (!m) return null;
  const [, date, hh, mm, ss = '00', fraction = '', zulu, sign, oh, om] = m;
  if (!isCalendarDate(date) || Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 59) return null;
  if (!zulu && (Number(oh) > 14 || Number(om) > 59)) return null;
  const offset = zulu || (Number(oh) === 0 && Number(om) === 0) ? '+00:00' : `${sign}${oh}:${om}`;
  return `${date}T${hh}:${mm}:${ss}.${fraction.padEnd(3, '0').slice(0, 3)}${offset}`;
}
