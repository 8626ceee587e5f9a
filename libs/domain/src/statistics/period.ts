import { daysInMonth, schoolYear, schoolYearOf } from '../time/county-time';

/** The default `from` of INDICATORS.md: the start of the school year that contains `asOf`. */
export function defaultFrom(asOf: string): string {
  return schoolYear(schoolYearOf(asOf)).start;
}

/**
 * The dates of a series of `months` points (INDICATORS.md "API"): the month-end of each of the
 * `months − 1` months before `asOf`'s, oldest first, then `asOf` itself.
 */
export function monthEnds(asOf: string, months: number): string[] {
  const [year, month] = [Number(asOf.slice(0, 4)), Number(asOf.slice(5, 7))];
  const points: string[] = [];
  for (let back = months - 1; back >= 1; back--) {
    const index = year * 12 + (month - 1) - back;
    const [y, m] = [Math.floor(index / 12), (index % 12) + 1];
    points.push(`${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(daysInMonth(y, m)).padStart(2, '0')}`);
  }
  return [...points, asOf];
}
