import ExcelJS from 'exceljs';
import { ROSTER_HEADER, rosterCsv, rosterRows, rosterXlsx } from '../testing/roster-files';
import type { RosterRow } from './roster-table';
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

async function readWhole(file: Buffer): Promise<{ headers: readonly string[]; rows: RosterRow[] }> {
  const table = await readRosterTable(file, NO_LIMITS);
  const rows: RosterRow[] = [];
  for await (const row of table.rows) rows.push(row);
  return { headers: table.headers, rows };
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

  it('refuses a value beyond column 256: padding rows out to column XFD would cost memory the unpacked size does not bound', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('花名册');
    sheet.addRow(ROSTER_HEADER);
    sheet.addRow(rosterRows(1)[0]);
    sheet.getCell('XFD2').value = '多余';
    await expect(readWhole(Buffer.from(await workbook.xlsx.writeBuffer()))).rejects.toMatchObject({ status: 400, code: 'malformed-roster' });
  });

  it('reads dates as typed, rich text joined and numbers as written, from the first sheet in workbook order', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('花名册');
    workbook.addWorksheet('说明').addRow(['不是花名册']);
    sheet.addRow(['姓名', '出生年月', '监护人电话', '外出时间']);
    sheet.addRow([{ richText: [{ text: '张' }, { text: '小明', font: { bold: true } }] }, new Date(Date.UTC(2016, 2, 12)), 13811112222, '2023年2月']);
    sheet.getCell('D2').numFmt = 'yyyy"年"m"月"';
    sheet.getCell('D2').value = new Date(Date.UTC(2023, 1, 1));
    const { headers, rows } = await readWhole(Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(headers).toEqual(['姓名', '出生年月', '监护人电话', '外出时间']);
    expect(rows).toEqual([{ rowNumber: 2, cells: ['张小明', '2016-03-12', '13811112222', '2023-02-01'] }]);
  });
});
