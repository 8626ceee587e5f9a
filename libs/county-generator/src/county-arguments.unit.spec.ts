import { countyOptionsOf } from './county-arguments';

describe('countyOptionsOf', () => {
  it('reads the size, seed and dates from flags, the end defaulting to today', () => {
    expect(countyOptionsOf(['--children', '50000', '--months', '12'], '2026-12-01')).toEqual({ seed: 1, end: '2026-12-01', children: 50000, months: 12 });
    expect(countyOptionsOf(['--children', '10', '--months', '2', '--schools', '3', '--townships', '2', '--seed', '9', '--end', '2025-06-30', '--county-id', 'c1'], 'x')).toEqual({
      seed: 9,
      end: '2025-06-30',
      children: 10,
      months: 2,
      schools: 3,
      townships: 2,
      countyId: 'c1',
    });
  });

  it('refuses unknown flags, missing values and sizes that are not integers', () => {
    expect(() => countyOptionsOf(['--kids', '5', '--months', '1'], 'x')).toThrow('unknown flag --kids');
    expect(() => countyOptionsOf(['--children', '5', '--months'], 'x')).toThrow('--months: a value is missing');
    expect(() => countyOptionsOf(['--children', 'many', '--months', '1'], 'x')).toThrow('--children: an integer');
    expect(() => countyOptionsOf(['--months', '1'], 'x')).toThrow('required');
  });
});
