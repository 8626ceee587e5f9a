import { readRosterTable } from '@lbc/ingest';
import { rosterCsv, rosterRows, rosterXlsx } from '@lbc/ingest/testing';
import type { Bench, BenchRow } from './bench';

const SIZES = [1000, 2000, 4000, 8000, 64_000];
const NO_LIMITS = { maxRows: Number.MAX_SAFE_INTEGER, maxUncompressedBytes: Number.MAX_SAFE_INTEGER };

/** Seconds to stream every row of a roster file, the better of two readings. */
async function secondsToRead(file: Buffer): Promise<number> {
  let best = Infinity;
  for (let reading = 0; reading < 2; reading++) {
    const start = performance.now();
    const table = await readRosterTable(file, NO_LIMITS);
    for await (const _ of table.rows);
    best = Math.min(best, (performance.now() - start) / 1000);
  }
  return best;
}

/**
 * Roster parsing must stay linear in its rows (the old XLSX reader was quadratic: 8k rows took
 * 22.7 s): the time per row at 64k rows against the time per row at 8k, target ≤ 3 (quadratic ≈ 8).
 */
export const bench: Bench = {
  name: 'roster-parse',
  async run(context) {
    const rows: BenchRow[] = [];
    for (const [format, write] of [
      ['xlsx', rosterXlsx],
      ['csv', async (cells: string[][]) => rosterCsv(cells)],
    ] as const) {
      const seconds = new Map<number, number>();
      for (const size of SIZES) {
        seconds.set(size, await secondsToRead(await write(rosterRows(size))));
        context.log(`${format} ${size} rows: ${seconds.get(size)?.toFixed(3)} s`);
      }
      const perRowMicroseconds = (size: number) => ((seconds.get(size) ?? 0) / size) * 1e6;
      rows.push({
        bench: 'roster-parse',
        case: `${format} time per row at 64k rows`,
        value: perRowMicroseconds(64_000),
        unit: 'µs',
        reference: { case: 'at 8k rows', value: perRowMicroseconds(8000) },
        target: { atMost: 3 },
        note: `linear ≈ 1×, quadratic ≈ 8×; ${SIZES.map((size) => `${size / 1000}k rows ${seconds.get(size)?.toFixed(2)} s`).join(', ')}`,
      });
    }
    return rows;
  },
};
