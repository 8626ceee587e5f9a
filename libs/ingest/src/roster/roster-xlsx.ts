import type { Readable } from 'node:stream';
import { SaxesParser } from 'saxes';
import type { SaxesTagPlain } from 'saxes';
import type { Entry, ZipFile } from 'yauzl';
import { fromBuffer } from 'yauzl';
import { Problem } from '@lbc/http';
import type { RosterRow } from './roster-table';
import { tooLargeUncompressed } from './roster-limits';

/**
 * The first sheet of an XLSX, row by row as it is inflated and parsed. Its own reader rather than
 * exceljs: exceljs' in-memory load took time quadratic in the rows (8,000 rows: 23 s, blocking the
 * event loop), and neither of its readers bounds what the archive inflates to.
 *
 * Zip bombs: the entries read are held to `maxUncompressedBytes` by their declared sizes before
 * anything is inflated, and yauzl fails an entry that inflates beyond its declared size.
 */
export async function* xlsxRows(bytes: Buffer, maxUncompressedBytes: number): AsyncGenerator<RosterRow> {
  const zip = await openZip(bytes);
  try {
    const entries = await entriesOf(zip);
    const workbookEntry = required(entries.get('xl/workbook.xml'), 'xl/workbook.xml');
    const relsEntry = required(entries.get('xl/_rels/workbook.xml.rels'), 'xl/_rels/workbook.xml.rels');
    const workbook = await readWholly(zip, workbookEntry, maxUncompressedBytes, parseWorkbook);
    const target = workbook.firstSheetRelId === null ? undefined : (await readWholly(zip, relsEntry, maxUncompressedBytes, parseRelationships)).get(workbook.firstSheetRelId);
    if (target === undefined) throw new Problem(422, 'empty-roster', 'The workbook has no sheet');
    const sheet = required(entries.get(target.startsWith('/') ? target.slice(1) : `xl/${target}`), target);
    const styles = entries.get('xl/styles.xml');
    const sharedStrings = entries.get('xl/sharedStrings.xml');
    const declared = [workbookEntry, relsEntry, sheet, styles, sharedStrings].reduce((sum, entry) => sum + (entry?.uncompressedSize ?? 0), 0);
    if (declared > maxUncompressedBytes) throw tooLargeUncompressed(maxUncompressedBytes);
    const cellText = cellTextOf({
      strings: sharedStrings ? await readWholly(zip, sharedStrings, maxUncompressedBytes, parseSharedStrings) : [],
      dateStyles: styles ? await readWholly(zip, styles, maxUncompressedBytes, parseDateStyles) : [],
      date1904: workbook.date1904,
    });
    yield* sheetRows(await openEntry(zip, sheet), cellText);
  } finally {
    zip.close();
  }
}

function openZip(bytes: Buffer): Promise<ZipFile> {
  return new Promise((resolve, reject) =>
    fromBuffer(bytes, { lazyEntries: true }, (error, zip) => (error ? reject(malformed(error)) : resolve(zip))),
  );
}

function entriesOf(zip: ZipFile): Promise<Map<string, Entry>> {
  return new Promise((resolve, reject) => {
    const entries = new Map<string, Entry>();
    zip.on('entry', (entry: Entry) => {
      entries.set(entry.fileName, entry);
      zip.readEntry();
    });
    zip.on('end', () => resolve(entries));
    zip.on('error', (error: Error) => reject(malformed(error)));
    zip.readEntry();
  });
}

function openEntry(zip: ZipFile, entry: Entry): Promise<Readable> {
  if (entry.isEncrypted()) return Promise.reject(new Problem(400, 'malformed-roster', 'The XLSX is encrypted; save it without a password'));
  return new Promise((resolve, reject) => zip.openReadStream(entry, (error, stream) => (error ? reject(malformed(error)) : resolve(stream))));
}

function required(entry: Entry | undefined, path: string): Entry {
  if (!entry) throw new Problem(400, 'malformed-roster', `The XLSX cannot be read: it has no ${path}`);
  return entry;
}

function malformed(error: unknown): Problem {
  return error instanceof Problem ? error : new Problem(400, 'malformed-roster', `The XLSX cannot be read: ${(error as Error).message}`);
}

/** Feeds an entry to a SAX parser chunk by chunk, yielding after each chunk. */
async function* parseXml(stream: Readable, onTag: (tag: SaxesTagPlain) => void, onText: (text: string) => void, onClose: (name: string) => void): AsyncGenerator<void> {
  const parser = new SaxesParser();
  parser.on('opentag', (tag) => onTag({ ...tag, name: localName(tag.name) }));
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', (tag) => onClose(localName(tag.name)));
  const decoder = new TextDecoder('utf-8');
  try {
    for await (const chunk of stream) {
      parser.write(decoder.decode(chunk as Buffer, { stream: true }));
      yield;
    }
    parser.write(decoder.decode());
    parser.close();
  } catch (error) {
    throw malformed(error);
  } finally {
    stream.destroy();
  }
}

/** Some writers prefix every SpreadsheetML element (`x:row`); the prefix carries nothing here. */
function localName(name: string): string {
  return name.slice(name.indexOf(':') + 1);
}

type XmlReader<T> = (stream: Readable) => Promise<T>;

async function readWholly<T>(zip: ZipFile, entry: Entry, maxUncompressedBytes: number, read: XmlReader<T>): Promise<T> {
  if (entry.uncompressedSize > maxUncompressedBytes) throw tooLargeUncompressed(maxUncompressedBytes);
  return read(await openEntry(zip, entry));
}

interface Workbook {
  readonly firstSheetRelId: string | null;
  readonly date1904: boolean;
}

async function parseWorkbook(stream: Readable): Promise<Workbook> {
  let firstSheetRelId: string | null = null;
  let date1904 = false;
  const onTag = (tag: SaxesTagPlain) => {
    if (tag.name === 'workbookPr') date1904 = tag.attributes['date1904'] === '1' || tag.attributes['date1904'] === 'true';
    if (tag.name === 'sheet' && firstSheetRelId === null) {
      const relId = Object.entries(tag.attributes).find(([name]) => /:id$/.test(name));
      firstSheetRelId = relId ? relId[1] : null;
    }
  };
  for await (const _ of parseXml(stream, onTag, () => undefined, () => undefined));
  return { firstSheetRelId, date1904 };
}

async function parseRelationships(stream: Readable): Promise<Map<string, string>> {
  const targets = new Map<string, string>();
  const onTag = (tag: SaxesTagPlain) => {
    if (tag.name === 'Relationship' && tag.attributes['Id'] && tag.attributes['Target']) targets.set(tag.attributes['Id'], tag.attributes['Target']);
  };
  for await (const _ of parseXml(stream, onTag, () => undefined, () => undefined));
  return targets;
}

/** Number formats Excel shows as dates without naming them: 14–22, 45–47, and the CJK ones (27–36, 50–58). */
const BUILT_IN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** Whether a custom format shows a date: a y, m, d, h or s outside quotes, escapes and [colour] brackets. */
function isDateFormat(code: string): boolean {
  return /[ymdhs]/i.test(code.replace(/"[^"]*"|\\.|\[[^\]]*\]|General/gi, ''));
}

/** Per cell style (`s`), whether its number format is a date. */
async function parseDateStyles(stream: Readable): Promise<boolean[]> {
  const customDates = new Map<number, boolean>();
  const dates: boolean[] = [];
  let inCellXfs = false;
  const onTag = (tag: SaxesTagPlain) => {
    if (tag.name === 'numFmt') customDates.set(Number(tag.attributes['numFmtId']), isDateFormat(tag.attributes['formatCode'] ?? ''));
    if (tag.name === 'cellXfs') inCellXfs = true;
    if (tag.name === 'xf' && inCellXfs) {
      const id = Number(tag.attributes['numFmtId'] ?? 0);
      dates.push(customDates.get(id) ?? BUILT_IN_DATE_FORMATS.has(id));
    }
  };
  const onClose = (name: string) => {
    if (name === 'cellXfs') inCellXfs = false;
  };
  for await (const _ of parseXml(stream, onTag, () => undefined, onClose));
  return dates;
}

/** The shared strings, rich text runs joined; phonetic guides (`rPh`) left out. */
async function parseSharedStrings(stream: Readable): Promise<string[]> {
  const strings: string[] = [];
  let text = '';
  let inText = false;
  let inPhonetic = false;
  const onTag = (tag: SaxesTagPlain) => {
    if (tag.name === 'si') text = '';
    if (tag.name === 'rPh') inPhonetic = true;
    if (tag.name === 't' && !inPhonetic) inText = true;
  };
  const onClose = (name: string) => {
    if (name === 't') inText = false;
    if (name === 'rPh') inPhonetic = false;
    if (name === 'si') strings.push(text);
  };
  for await (const _ of parseXml(stream, onTag, (chunk) => void (inText && (text += chunk)), onClose));
  return strings;
}

interface CellContext {
  readonly strings: readonly string[];
  readonly dateStyles: readonly boolean[];
  readonly date1904: boolean;
}

interface RawCell {
  readonly type: string;
  readonly style: number;
  readonly value: string;
}

const EXCEL_EPOCH_1900 = Date.UTC(1899, 11, 30);
const EXCEL_EPOCH_1904 = Date.UTC(1904, 0, 1);
const DAY_MS = 86_400_000;

/** A cell as the school sees it: strings as typed, dates as YYYY-MM-DD, numbers as JavaScript prints them. */
function cellTextOf(context: CellContext): (cell: RawCell) => string {
  return ({ type, style, value }) => {
    switch (type) {
      case 's':
        return decodeEscapes(context.strings[Number(value)] ?? '');
      case 'inlineStr':
      case 'str':
        return decodeEscapes(value);
      case 'b':
        return value === '1' ? 'true' : 'false';
      case 'e':
        return '';
      case 'd':
        return value.slice(0, 10);
      default: {
        if (value.trim() === '') return '';
        const number = Number(value);
        if (!Number.isFinite(number)) return value;
        if (!context.dateStyles[style]) return String(number);
        const epoch = context.date1904 ? EXCEL_EPOCH_1904 : EXCEL_EPOCH_1900;
        return new Date(epoch + Math.round(number * DAY_MS)).toISOString().slice(0, 10);
      }
    }
  };
}

/** SpreadsheetML writes characters XML cannot hold as `_xHHHH_` (ECMA-376 ST_Xstring). */
function decodeEscapes(text: string): string {
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** `B12` → 1 (zero-based column). */
function columnIndexOf(reference: string): number | null {
  const letters = /^([A-Z]+)/.exec(reference)?.[1];
  if (!letters) return null;
  return [...letters].reduce((index, letter) => index * 26 + letter.charCodeAt(0) - 64, 0) - 1;
}

const MAX_COLUMNS = 256;

async function* sheetRows(stream: Readable, cellText: (cell: RawCell) => string): AsyncGenerator<RosterRow> {
  const done: RosterRow[] = [];
  let rowNumber = 0;
  let cells: string[] = [];
  let column = -1;
  let cell: { type: string; style: number; value: string } | null = null;
  let inValue = false;
  const onTag = (tag: SaxesTagPlain) => {
    switch (tag.name) {
      case 'row':
        rowNumber = Number(tag.attributes['r'] ?? rowNumber + 1);
        cells = [];
        column = -1;
        break;
      case 'c':
        column = columnIndexOf(tag.attributes['r'] ?? '') ?? column + 1;
        cell = { type: tag.attributes['t'] ?? 'n', style: Number(tag.attributes['s'] ?? 0), value: '' };
        break;
      case 'v':
      case 't':
        inValue = cell !== null;
        break;
    }
  };
  const onText = (text: string) => {
    if (inValue && cell) cell.value += text;
  };
  const onClose = (name: string) => {
    if (name === 'v' || name === 't') inValue = false;
    if (name === 'c' && cell) {
      const text = cellText(cell).trim();
      cell = null;
      if (text === '') return;
      // Padding up to a far column (XFD is 16,384) would cost memory the unpacked size does not bound.
      if (column >= MAX_COLUMNS) throw new Problem(400, 'malformed-roster', `Row ${rowNumber} has a value beyond column ${MAX_COLUMNS}; a roster has a few dozen columns`);
      while (cells.length < column) cells.push('');
      cells[column] = text;
    }
    if (name === 'row') done.push({ rowNumber, cells });
  };
  for await (const _ of parseXml(stream, onTag, onText, onClose)) yield* done.splice(0);
  yield* done.splice(0);
}
