import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';

// Covers simplified Chinese and Latin in one file (8,248 glyphs), self-hosted like the web app's.
const FONT = require.resolve('@fontsource/noto-sans-sc/files/noto-sans-sc-chinese-simplified-400-normal.woff');

/**
 * The SFNT (OpenType) font inside a WOFF 1.0 file (W3C WOFF §4–5): each table inflated once.
 * Given the WOFF itself, fontkit inflates a table at every access, and laying out one line of
 * Chinese took a second; from the SFNT it takes milliseconds.
 */
export function sfntOfWoff(woff: Buffer): Buffer {
  if (woff.readUInt32BE(0) !== 0x774f4646) throw new Error('not a WOFF 1.0 font');
  const numTables = woff.readUInt16BE(12);
  const tables = Array.from({ length: numTables }, (_, i) => {
    const entry = 44 + i * 20;
    const [tag, offset, compLength, origLength, origChecksum] = [0, 4, 8, 12, 16].map((at) => woff.readUInt32BE(entry + at));
    const stored = woff.subarray(offset, offset + compLength);
    return { tag, origChecksum, data: compLength < origLength ? inflateSync(stored) : stored };
  });
  const power = 2 ** Math.floor(Math.log2(numTables));
  const header = Buffer.alloc(12 + numTables * 16);
  header.writeUInt32BE(woff.readUInt32BE(4), 0);
  header.writeUInt16BE(numTables, 4);
  header.writeUInt16BE(power * 16, 6);
  header.writeUInt16BE(Math.log2(power), 8);
  header.writeUInt16BE(numTables * 16 - power * 16, 10);
  const body: Buffer[] = [];
  let offset = header.length;
  tables.forEach((table, i) => {
    header.writeUInt32BE(table.tag, 12 + i * 16);
    header.writeUInt32BE(table.origChecksum, 16 + i * 16);
    header.writeUInt32BE(offset, 20 + i * 16);
    header.writeUInt32BE(table.data.length, 24 + i * 16);
    const padded = Buffer.alloc(Math.ceil(table.data.length / 4) * 4);
    table.data.copy(padded);
    body.push(padded);
    offset += padded.length;
  });
  return Buffer.concat([header, ...body]);
}

let font: Buffer | undefined;

/** The Chinese font for PDFs, converted once per process. */
export function chineseFont(): Buffer {
  font ??= sfntOfWoff(readFileSync(FONT));
  return font;
}
