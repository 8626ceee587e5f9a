import { isCalendarDate, schoolYearOf, semesterOf, startOfDay, toCountyIso } from '@lbc/domain';

export const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

export interface Day {
  readonly index: number;
  /** County-local midnight, epoch ms. */
  readonly ms: number;
  readonly date: string;
  readonly month: number;
  readonly dayOfMonth: number;
  /** 1 Monday … 7 Sunday. */
  readonly weekday: number;
  /** Term of `EnrollmentReported` (`2025-spring`) for the semester this day is in. */
  readonly term: string;
  readonly holiday: boolean;
  readonly schoolDay: boolean;
}

/** Winter holiday around the Spring Festival, summer holiday, National Day week (month, first day, last day). */
const HOLIDAYS: readonly (readonly [number, number, number])[] = [
  [1, 20, 31],
  [2, 1, 19],
  [7, 10, 31],
  [8, 1, 31],
  [10, 1, 7],
];

/** The first day of a history of `months` months ending with `end` (both county-local `YYYY-MM-DD`). */
export function historyStart(end: string, months: number): string {
  const [y, m, d] = end.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1 - months, d + 1)).toISOString().slice(0, 10);
}

/**
 * The last day of the history of `months` months that began on `start`, or null if none did (a
 * county generated earlier is found again from its first day: its ids and events follow from its
 * end). Several ends after a short month may share a start; the earliest is the one taken.
 */
export function historyEndFrom(start: string, months: number): string | null {
  const from = startOfDay(start) + (months * 28 - 1) * DAY_MS;
  for (let ms = from; ms <= from + 4 * months * DAY_MS; ms += DAY_MS) {
    const end = new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
    if (historyStart(end, months) === start) return end;
  }
  return null;
}

/**
 * The days of the history, county-local: `months` months ending with `end`. School days are
 * weekdays outside the holidays; the school year turns on 1 September (INDICATORS.md "Time").
 */
export class Calendar {
  readonly days: readonly Day[];
  readonly startMs: number;
  /** Per day: the last day of its month and of its semester, within the history. */
  readonly monthEnd: readonly number[];
  readonly termEnd: readonly number[];

  constructor(end: string, months: number) {
    if (!isCalendarDate(end)) throw new RangeError(`end: not a YYYY-MM-DD date: ${end}`);
    if (!Number.isInteger(months) || months < 1 || months > 120) throw new RangeError('months: an integer from 1 to 120');
    this.startMs = startOfDay(historyStart(end, months));
    const count = Math.round((startOfDay(end) - this.startMs) / DAY_MS) + 1;
    this.days = Array.from({ length: count }, (_, index) => {
      const ms = this.startMs + index * DAY_MS;
      const date = new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
      const month = Number(date.slice(5, 7));
      const dayOfMonth = Number(date.slice(8, 10));
      const weekday = ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
      const holiday = HOLIDAYS.some(([hm, from, to]) => hm === month && dayOfMonth >= from && dayOfMonth <= to);
      return { index, ms, date, month, dayOfMonth, weekday, term: semesterOf(date).term, holiday, schoolDay: !holiday && weekday <= 5 };
    });
    const last = (same: (a: Day, b: Day) => boolean) => {
      const ends = new Array<number>(count);
      for (let i = count - 1; i >= 0; i--) ends[i] = i + 1 < count && same(this.days[i], this.days[i + 1]) ? ends[i + 1] : i;
      return ends;
    };
    this.monthEnd = last((a, b) => a.month === b.month);
    this.termEnd = last((a, b) => a.term === b.term);
  }

  /** The Spring Festival reunion (25 January) of the school year of `day`, if it is still ahead in the history; else -1. */
  festivalAhead(day: number): number {
    const festival = this.indexOf(`${schoolYearOf(this.days[day].date) + 1}-01-25`);
    return festival >= day ? festival : -1;
  }

  get length(): number {
    return this.days.length;
  }

  /** `occurredAt` in the canonical county-local form. */
  iso(ms: number): string {
    return toCountyIso(ms);
  }

  ms(day: number, minute: number): number {
    return this.startMs + day * DAY_MS + minute * MINUTE_MS;
  }

  /** The first school day at or after `day` within `limit` days, or -1. */
  schoolDayFrom(day: number, limit = 30): number {
    for (let d = Math.max(0, day); d < Math.min(this.days.length, day + limit); d++) if (this.days[d].schoolDay) return d;
    return -1;
  }

  /** Index of a date inside the history, or -1. */
  indexOf(date: string): number {
    const index = Math.round((startOfDay(date) - this.startMs) / DAY_MS);
    return index >= 0 && index < this.days.length ? index : -1;
  }
}
