import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { Problem } from '../http/problem';

/** A roster sheet: its header and its data rows, each with the spreadsheet row number (header = 1). */
export interface RosterTable {
  readonly headers: readonly string[];
  readonly rows: readonly { readonly rowNumber: number; readonly cells: readonly string[] }[];
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** Reads a CSV (UTF-8, or GB18030 as Excel saves it on Chinese Windows) or an XLSX (first sheet). */
export async function readRosterTable(bytes: Buffer): Promise<RosterTable> {
  if (bytes.length === 0) throw new Problem(400, 'empty-roster', 'The roster file is empty');
  const table = bytes.subarray(0, 4).equals(ZIP_MAGIC) ? await readXlsx(bytes) : readCsv(bytes);
  const headerIndex = table.findIndex((row) => row.cells.some((cell) => cell !== ''));
  if (headerIndex < 0) throw new Problem(400, 'empty-roster', 'The roster has no header row');
  const headers = table[headerIndex].cells.map((cell) => cell.replace(/\s+/g, ''));
  const rows = table.slice(headerIndex + 1).filter((row) => row.cells.some((cell) => cell !== ''));
  return { headers, rows };
}

function decodeText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

function readCsv(bytes: Buffer): { rowNumber: number; cells: string[] }[] {
  let records: string[][];
  try {
    records = parse(decodeText(bytes), { bom: true, relax_column_count: true, skip_empty_lines: false, trim: true });
  } catch (error) {
    throw new Problem(400, 'malformed-roster', `The CSV cannot be read: ${(error as Error).message}`);
  }
  return records.map((cells, index) => ({ rowNumber: index + 1, cells }));
}

async function readXlsx(bytes: Buffer): Promise<{ rowNumber: number; cells: string[] }[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (error) {
    throw new Problem(400, 'malformed-roster', `The XLSX cannot be read: ${(error as Error).message}`);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new Problem(400, 'empty-roster', 'The workbook has no sheet');
  const rows: { rowNumber: number; cells: string[] }[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    for (let column = 1; column <= sheet.columnCount; column++) cells.push(cellText(row.getCell(column).value));
    rows.push({ rowNumber, cells });
  });
  return rows;
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  // Dates come as UTC midnights of the calendar day typed in.
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((part) => part.text).join('').trim();
    if ('text' in value) return String(value.text).trim();
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    return '';
  }
  return String(value).trim();
}
