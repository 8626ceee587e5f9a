import { defaultFrom, monthEnds } from './period';

describe('statistics periods', () => {
  it.each([
    ['2025-10-01', '2025-09-01'],
    ['2025-09-01', '2025-09-01'],
    ['2025-08-31', '2024-09-01'],
    ['2026-01-15', '2025-09-01'],
  ])('from defaults to the start of the school year containing asOf %s: %s', (asOf, from) => {
    expect(defaultFrom(asOf)).toBe(from);
  });

  it('ends a series at asOf, after the month-ends of the months before it', () => {
    expect(monthEnds('2025-03-15', 4)).toEqual(['2024-12-31', '2025-01-31', '2025-02-28', '2025-03-15']);
    expect(monthEnds('2024-03-31', 2)).toEqual(['2024-02-29', '2024-03-31']);
    expect(monthEnds('2025-03-15', 1)).toEqual(['2025-03-15']);
    expect(monthEnds('2025-12-01', 60)).toHaveLength(60);
    expect(monthEnds('2025-12-01', 60)[0]).toBe('2021-01-31');
  });
});
