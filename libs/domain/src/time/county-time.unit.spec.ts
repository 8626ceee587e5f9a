import {
  countyDateOf,
  daysInMonth,
  endOfDay,
  instantOf,
  isCalendarDate,
  isCalendarMonth,
  isWithinDates,
  isWithinLastDays,
  schoolYear,
  schoolYearOf,
  semesterOf,
  startOfDay,
  startOfMonth,
  toCountyIso,
} from './county-time';

describe('county time (Asia/Shanghai, UTC+08:00)', () => {
  it('finds the county-local date of an instant', () => {
    expect(countyDateOf('2025-03-13T16:00:00.000+00:00')).toBe('2025-03-14');
    expect(countyDateOf('2025-03-13T15:59:59.999Z')).toBe('2025-03-13');
    expect(countyDateOf(instantOf('2025-03-14T23:59:59.999+08:00'))).toBe('2025-03-14');
  });

  it('bounds a county-local day', () => {
    expect(startOfDay('2025-03-14')).toBe(Date.parse('2025-03-13T16:00:00Z'));
    expect(endOfDay('2025-03-14')).toBe(Date.parse('2025-03-14T15:59:59.999Z'));
    expect(toCountyIso(endOfDay('2024-12-31'))).toBe('2024-12-31T23:59:59.999+08:00');
    expect(startOfMonth('2015-06')).toBe(Date.parse('2015-06-01T00:00:00+08:00'));
    expect(() => startOfDay('2025-02-29')).toThrow(RangeError);
    expect(startOfDay('1899-09-01')).toBe(Date.parse('1899-09-01T00:00:00+08:00'));
  });

  it('knows calendar dates and months', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2100-02-29')).toBe(false);
    expect(isCalendarDate('2000-02-29')).toBe(true);
    expect(isCalendarDate('2025-04-31')).toBe(false);
    expect(isCalendarDate('0000-01-01')).toBe(false);
    expect(isCalendarDate('1899-12-31')).toBe(false);
    expect(isCalendarDate('1900-01-01')).toBe(true);
    expect(isCalendarDate('2025-3-14')).toBe(false);
    expect(isCalendarMonth('2025-00')).toBe(false);
    expect(isCalendarMonth('0000-01')).toBe(false);
    expect(isCalendarMonth('1900-01')).toBe(true);
    expect(daysInMonth(2025, 12)).toBe(31);
  });

  it('takes as calendar dates exactly the days of the proleptic Gregorian calendar from 1900 to 9999', () => {
    const wrong: string[] = [];
    const pad = (n: number, width: number) => String(n).padStart(width, '0');
    for (const year of [1899, ...Array.from({ length: 1200 }, (_, i) => 1900 + i), 2400, 2800, 3000, 9996, 9999]) {
      for (let month = 0; month <= 13; month++) {
        for (let day = 0; day <= 32; day++) {
          const text = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
          const real = year >= 1900 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
          if (isCalendarDate(text) !== real) wrong.push(text);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('counts "the last N days" as (end of asOf − N×24 h, end of asOf]', () => {
    expect(isWithinLastDays('2025-03-14T23:59:59.999+08:00', '2025-03-14', 7)).toBe(true);
    expect(isWithinLastDays('2025-03-15T00:00:00.000+08:00', '2025-03-14', 7)).toBe(false);
    expect(isWithinLastDays('2025-03-08T00:00:00.000+08:00', '2025-03-14', 7)).toBe(true);
    expect(isWithinLastDays('2025-03-07T23:59:59.999+08:00', '2025-03-14', 7)).toBe(false);
  });

  it('checks a date range in whole county days', () => {
    expect(isWithinDates('2025-09-01T00:00:00.000+08:00', '2025-09-01', '2025-09-30')).toBe(true);
    expect(isWithinDates('2025-08-31T16:00:00.000+00:00', '2025-09-01', '2025-09-30')).toBe(true);
    expect(isWithinDates('2025-08-31T23:59:59.999+08:00', '2025-09-01', '2025-09-30')).toBe(false);
  });

  it('finds the school year (1 September – 31 August)', () => {
    expect(schoolYearOf('2025-09-01')).toBe(2025);
    expect(schoolYearOf('2025-08-31')).toBe(2024);
    expect(schoolYear(2024)).toEqual({ year: 2024, start: '2024-09-01', end: '2025-08-31' });
  });

  it('finds the semester (fall 1 Sep – 31 Jan, spring 1 Feb – 31 Aug) and its term', () => {
    expect(semesterOf('2026-01-31')).toEqual({ schoolYear: 2025, season: 'fall', term: '2025-fall', start: '2025-09-01', end: '2026-01-31' });
    expect(semesterOf('2026-02-01')).toEqual({ schoolYear: 2025, season: 'spring', term: '2026-spring', start: '2026-02-01', end: '2026-08-31' });
    expect(semesterOf('2025-09-01').term).toBe('2025-fall');
  });
});
