import { rosterCsv, rosterRows, rosterXlsx } from '../testing/roster-files';
import { readRosterTable } from './roster-table';

const SIZES = [1000, 2000, 4000, 8000, 64_000];
const NO_LIMITS = { maxRows: Number.MAX_SAFE_INTEGER, maxUncompressedBytes: Number.MAX_SAFE_INTEGER };

/** Seconds to read every row of the file, the better of two readings (the machine is shared). */
async function secondsToRead(file: Buffer, rows: number): Promise<number> {
  const readings: number[] = [];
  for (let reading = 0; reading < 2; reading++) {
    const start = performance.now();
    const table = await readRosterTable(file, NO_LIMITS);
    let read = 0;
    for await (const _ of table.rows) read++;
    expect(read).toBe(rows);
    readings.push((performance.now() - start) / 1000);
  }
  return Math.min(...readings);
}

describe('readRosterTable', () => {
  it.each([
    ['XLSX', rosterXlsx],
    ['CSV', async (rows: string[][]) => rosterCsv(rows)],
  ])('reads a %s roster in time linear in its rows (1k, 2k, 4k, 8k, 64k)', async (_, write) => {
    const seconds = new Map<number, number>();
    for (const size of SIZES) seconds.set(size, await secondsToRead(await write(rosterRows(size)), size));
    const perRow = (size: number) => (seconds.get(size) ?? 0) / size;
    // Eight times the rows of 8k: quadratic time would cost 8 times as much per row, linear about the same.
    expect(perRow(64_000)).toBeLessThan(3 * Math.max(perRow(4000), perRow(8000)));
  }, 300_000);
});
