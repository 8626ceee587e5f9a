import type { Sheet, SheetCell } from './sheet';

/** Excel reads UTF-8 (and so Chinese) correctly only after a byte-order mark. */
const BOM = '\uFEFF';
/** Text starting with these is a formula to a spreadsheet (CSV injection): a school's name might. */
const FORMULA_START = /^[=+\-@\t\r]/;

function field(cell: SheetCell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return String(cell);
  const text = FORMULA_START.test(cell) ? `'${cell}` : cell;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** RFC 4180 CSV (CRLF), UTF-8 with BOM: the header block, an empty line, the table. */
export function toCsv(sheet: Sheet): Buffer {
  const lines = [...sheet.header.map((row) => row.map(field).join(',')), '', sheet.columns.map(field).join(','), ...sheet.rows.map((row) => row.map(field).join(','))];
  return Buffer.from(`${BOM}${lines.join('\r\n')}\r\n`, 'utf8');
}
