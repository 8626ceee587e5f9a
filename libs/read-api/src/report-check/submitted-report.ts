import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { fromBuffer } from 'yauzl';
import { Problem } from '@lbc/http';
import type { SheetCell } from '../export/sheet';
import { leavesOf } from '../export/sheet';

/** A `GET /stats` answer as it was submitted: its header and every figure by dotted name. */
export interface SubmittedReport {
  readonly scope: string;
  readonly asOf: string;
  readonly from: string;
  readonly figures: ReadonlyMap<string, SheetCell>;
}

export const REPORT_MEDIA_TYPES = {
  json: 'application/json',
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

/** An export unpacks to kilobytes; this is a hundred times that. */
const MAX_XLSX_BYTES = 4 * 1024 * 1024;

const unreadable = (why: string) => new Problem(422, 'unreadable-report', `The report is not a GET /stats export: ${why}`, 'body');

/** The header block and the `indicator,value` table of a CSV or XLSX export, as rows of cells. */
function fromRows(rows: readonly (readonly SheetCell[])[]): SubmittedReport {
  const blank = rows.findIndex((row) => row.every((cell) => cell === null || cell === ''));
  if (blank < 0) throw unreadable('no empty row after the header block');
  const header = new Map(rows.slice(0, blank).map((row) => [String(row[0] ?? ''), String(row[1] ?? '')]));
  const [columns, ...table] = rows.slice(blank + 1);
  if (columns?.[0] !== 'indicator' || columns?.[1] !== 'value') throw unreadable('the table’s columns are not indicator, value');
  const figures = new Map<string, SheetCell>();
  for (const [name, value] of table) {
    if (typeof name !== 'string' || name === '') throw unreadable('a row without an indicator name');
    figures.set(name, value === '' || value === undefined ? null : value);
  }
  return header2report(header, figures);
}

function header2report(header: ReadonlyMap<string, string>, figures: ReadonlyMap<string, SheetCell>): SubmittedReport {
  const [scope, asOf, from] = ['scope', 'asOf', 'from'].map((key) => header.get(key));
  if (!scope || !asOf || !from) throw unreadable('the header names no scope, asOf or from');
  if (figures.size === 0) throw unreadable('no figures');
  return { scope, asOf, from, figures };
}

// A CSV export guards text cells that a spreadsheet would run as formulas with a leading quote.
const cellOfCsv = (text: string): SheetCell => (text === '' ? null : /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text.replace(/^'(?=[=+\-@\t\r])/, ''));

/**
 * Inflates every entry of the archive once, counting, before exceljs (which trusts the sizes an
 * archive declares) reads it: yauzl stops an entry that inflates beyond its declared size, and
 * the count stops the whole past MAX_XLSX_BYTES.
 */
function refuseZipBomb(body: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    fromBuffer(body, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(unreadable('malformed XLSX'));
      let total = 0;
      const fail = (problem: Problem) => {
        zip.close();
        reject(problem);
      };
      zip.on('error', () => fail(unreadable('malformed XLSX')));
      zip.on('end', () => resolve());
      zip.on('entry', (entry) => {
        zip.openReadStream(entry, (openError, stream) => {
          if (openError) return fail(unreadable('malformed XLSX'));
          stream.on('data', (chunk: Buffer) => {
            total += chunk.length;
            if (total > MAX_XLSX_BYTES) {
              stream.destroy();
              fail(new Problem(413, 'report-too-large', `The XLSX unpacks to more than ${MAX_XLSX_BYTES} bytes; a report is a few kilobytes`));
            }
          });
          stream.on('error', () => fail(unreadable('malformed XLSX')));
          stream.on('end', () => zip.readEntry());
        });
      });
      zip.readEntry();
    });
  });
}

/** Reads a report in any format `GET /stats` exports. */
export async function readSubmittedReport(body: Buffer, mediaType: string): Promise<SubmittedReport> {
  if (body.length === 0) throw unreadable('the file is empty');
  switch (mediaType) {
    case REPORT_MEDIA_TYPES.json: {
      let json: unknown;
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch {
        throw unreadable('malformed JSON');
      }
      const { scope, asOf, from, indicators } = (json ?? {}) as Record<string, unknown>;
      if (typeof indicators !== 'object' || indicators === null) throw unreadable('no indicators');
      const figures = new Map(Object.entries(indicators).flatMap(([key, value]) => leavesOf(value, key)));
      return header2report(new Map([['scope', String(scope ?? '')], ['asOf', String(asOf ?? '')], ['from', String(from ?? '')]]), figures);
    }
    case REPORT_MEDIA_TYPES.csv: {
      let rows: string[][];
      try {
        rows = parse(body, { bom: true, relax_column_count: true, skip_empty_lines: false });
      } catch {
        throw unreadable('malformed CSV');
      }
      return fromRows(rows.map((row) => row.map(cellOfCsv)));
    }
    case REPORT_MEDIA_TYPES.xlsx: {
      await refuseZipBomb(body);
      const workbook = new ExcelJS.Workbook();
      try {
        await workbook.xlsx.load(body as unknown as ArrayBuffer);
      } catch {
        throw unreadable('malformed XLSX');
      }
      const sheet = workbook.worksheets[0];
      if (!sheet) throw unreadable('no worksheet');
      const rows: SheetCell[][] = [];
      sheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
        while (rows.length < rowNumber - 1) rows.push([]);
        rows.push([1, 2].map((column) => {
          const value = row.getCell(column).value;
          return typeof value === 'number' || typeof value === 'string' ? value : null;
        }));
      });
      return fromRows(rows);
    }
    default:
      throw new Problem(415, 'unsupported-media-type', `${mediaType} is not accepted here; send ${Object.values(REPORT_MEDIA_TYPES).join(' or ')}`);
  }
}
