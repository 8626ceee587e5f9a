/**
 * County-local calendar arithmetic (INDICATORS.md "Time"). The county is Asia/Shanghai, which has
 * kept UTC+08:00 without daylight saving since 1991, so a fixed offset is exact and no time-zone
 * database is needed. Instants are epoch milliseconds; dates are `YYYY-MM-DD` strings.
 */

export const COUNTY_UTC_OFFSET_MINUTES = 480;
const OFFSET_MS = COUNTY_UTC_OFFSET_MINUTES * 60_000;
export const DAY_MS = 86_400_000;

/** Days in a month of the proleptic Gregorian calendar; `month` is 1–12. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

// Date.UTC reads years 0–99 as 1900–1999 and term windows step a year back from a date, so the
// arithmetic here is exact only from 1900 on; no record of a child in care is older. Written as one
// pattern (leap years included) so that the OpenAPI description states exactly the same rule.
const YEAR = '(?:19|[2-9]\\d)\\d{2}';
const LEAP_YEAR = '(?:(?:19|[2-9]\\d)(?:0[48]|[2468][048]|[13579][26])|(?:[2468][048]|[3579][26])00)';
const MONTH_DAY = '(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|02-(?:0[1-9]|1\\d|2[0-8]))';
/** `YYYY-MM-DD`, a real calendar date from 1900-01-01 on (unanchored, for composing). */
export const CALENDAR_DATE_SOURCE = `(?:${YEAR}-${MONTH_DAY}|${LEAP_YEAR}-02-29)`;
export const CALENDAR_DATE = new RegExp(`^${CALENDAR_DATE_SOURCE}$`);

/** A real calendar date written `YYYY-MM-DD` from 1900 on (rejects 2025-02-30 and 0000-01-01). */
export function isCalendarDate(text: string): boolean {
  return CALENDAR_DATE.test(text);
}

export const CALENDAR_MONTH = new RegExp(`^${YEAR}-(?:0[1-9]|1[0-2])$`);

/** A real calendar month written `YYYY-MM` from 1900 on. */
export function isCalendarMonth(text: string): boolean {
  return CALENDAR_MONTH.test(text);
}

/** Epoch milliseconds of an ISO-8601 instant with offset, such as a normalised `occurredAt`. */
export function instantOf(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO-8601 instant: ${iso}`);
  return ms;
}

// The arithmetic also reaches a little before the first date it is given (a January date's semester
// began the September before), so it takes any real date, not only those `isCalendarDate` admits.
function dateParts(date: string): [number, number, number] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const [year, month, day] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return [year, month, day];
}

/** County-local midnight at the start of `date`. */
export function startOfDay(date: string): number {
  const [year, month, day] = dateParts(date);
  return Date.UTC(year, month - 1, day) - OFFSET_MS;
}

/** The last millisecond of `date`, county-local: what `asOf=date` means. */
export function endOfDay(date: string): number {
  return startOfDay(date) + DAY_MS - 1;
}

/** The county-local calendar date of an instant. */
export function countyDateOf(instant: string | number): string {
  const ms = typeof instant === 'number' ? instant : instantOf(instant);
  return new Date(ms + OFFSET_MS).toISOString().slice(0, 10);
}

/** Canonical county-local form of an instant: `YYYY-MM-DDTHH:mm:ss.sss+08:00`. */
export function toCountyIso(ms: number): string {
  return `${new Date(ms + OFFSET_MS).toISOString().slice(0, 23)}+08:00`;
}

/** County-local midnight at the start of a birth month `YYYY-MM`. */
export function startOfMonth(month: string): number {
  if (!isCalendarMonth(month)) throw new RangeError(`not a YYYY-MM month: ${month}`);
  return startOfDay(`${month}-01`);
}

/** "In the last N days" of INDICATORS.md: `occurredAt` in (end of asOf − N×24 h, end of asOf]. */
export function isWithinLastDays(occurredAt: string, asOf: string, days: number): boolean {
  const end = endOfDay(asOf);
  const at = instantOf(occurredAt);
  return at > end - days * DAY_MS && at <= end;
}

/** Whether `occurredAt` lies in the closed date range [from, to] (county-local days). */
export function isWithinDates(occurredAt: string, from: string, to: string): boolean {
  const at = instantOf(occurredAt);
  return at >= startOfDay(from) && at <= endOfDay(to);
}

/** School year Y runs from 1 September Y to 31 August Y+1; returns Y. */
export function schoolYearOf(date: string): number {
  const [year, month] = dateParts(date);
  return month >= 9 ? year : year - 1;
}

export interface SchoolYear {
  readonly year: number;
  /** First day, `Y-09-01`. */
  readonly start: string;
  /** Last day, `Y+1-08-31`. */
  readonly end: string;
}

export function schoolYear(year: number): SchoolYear {
  return { year, start: `${year}-09-01`, end: `${year + 1}-08-31` };
}

export interface Semester {
  readonly schoolYear: number;
  readonly season: 'fall' | 'spring';
  /** As in `EnrollmentReported.term`: fall takes the year it starts in, spring its calendar year. */
  readonly term: string;
  readonly start: string;
  readonly end: string;
}

/** Fall semester: 1 September – 31 January; spring semester: 1 February – 31 August. */
export function semesterOf(date: string): Semester {
  const [year, month] = dateParts(date);
  const sy = month >= 9 ? year : year - 1;
  if (month >= 9 || month === 1) {
    return { schoolYear: sy, season: 'fall', term: `${sy}-fall`, start: `${sy}-09-01`, end: `${sy + 1}-01-31` };
  }
  return { schoolYear: sy, season: 'spring', term: `${year}-spring`, start: `${year}-02-01`, end: `${year}-08-31` };
}
