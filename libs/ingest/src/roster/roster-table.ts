import { isUtf8 } from 'node:buffer';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { Problem } from '@lbc/http';
import type { RosterLimits } from './roster-limits';
import { tooManyRows } from './roster-limits';
import { xlsxRows } from './roster-xlsx';

/** A row of the roster sheet with its spreadsheet row number (the first row is 1). */
export interface RosterRow {
  readonly rowNumber: number;
  readonly cells: readonly string[];
}

/** A roster sheet: the header (whitespace removed) and the data rows as they are read. */
export interface RosterTable {
  readonly headers: readonly string[];
  readonly rows: AsyncIterable<RosterRow>;
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const CSV_CHUNK_BYTES = 64 * 1024;

/**
 * Reads a CSV (UTF-8, or GB18030 as Excel saves it on Chinese Windows) or an XLSX (first sheet) as
 * a stream of rows, in time linear in the file: the header is the first non-empty row, empty rows
 * are skipped, and more than `maxRows` data rows end the reading with a 413.
 */
export async function readRosterTable(bytes: Buffer, limits: RosterLimits): Promise<RosterTable> {
  if (bytes.length === 0) throw new Problem(422, 'empty-roster', 'The roster file is empty');
  const source = nonEmpty(bytes.subarray(0, 4).equals(ZIP_MAGIC) ? xlsxRows(bytes, limits.maxUncompressedBytes) : csvRows(bytes));
  const header = await source.next();
  if (header.done) throw new Problem(422, 'empty-roster', 'The roster has no header row');
  return { headers: header.value.cells.map((cell) => cell.replace(/\s+/g, '')), rows: limited(source, limits.maxRows) };
}

async function* nonEmpty(rows: AsyncIterable<RosterRow>): AsyncGenerator<RosterRow> {
  for await (const row of rows) if (row.cells.some((cell) => cell !== '')) yield row;
}

async function* limited(rows: AsyncIterator<RosterRow>, maxRows: number): AsyncGenerator<RosterRow> {
  for (let count = 1; ; count++) {
    const next = await rows.next();
    if (next.done) return;
    if (count > maxRows) {
      await rows.return?.();
      throw tooManyRows(maxRows);
    }
    yield next.value;
  }
}

async function* csvRows(bytes: Buffer): AsyncGenerator<RosterRow> {
  const decoder = new TextDecoder(isUtf8(bytes) ? 'utf-8' : 'gb18030');
  const text = Readable.from(
    (function* () {
      for (let start = 0; start < bytes.length; start += CSV_CHUNK_BYTES) yield decoder.decode(bytes.subarray(start, start + CSV_CHUNK_BYTES), { stream: true });
      const rest = decoder.decode();
      if (rest !== '') yield rest;
    })(),
  );
  const records = text.pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: false, trim: true }));
  let rowNumber = 0;
  try {
    for await (const cells of records) yield { rowNumber: ++rowNumber, cells: cells as string[] };
  } catch (error) {
    throw new Problem(400, 'malformed-roster', `The CSV cannot be read: ${(error as Error).message}`);
  } finally {
    text.destroy();
    records.destroy();
  }
}
