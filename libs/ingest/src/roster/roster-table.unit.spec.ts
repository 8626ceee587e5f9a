import ExcelJS from 'exceljs';
import { ROSTER_HEADER, rosterCsv, rosterRows, rosterXlsx } from '../testing/roster-files';
import type { RosterRow } from './roster-table';
import { readRosterTable } from './roster-table';

const NO_LIMITS = { maxRows: Number.MAX_SAFE_INTEGER, maxUncompressedBytes: Number.MAX_SAFE_INTEGER };

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
  ])('streams every row of a 20,000-row %s roster in file order (its speed: npm run bench -- roster-parse)', async (_, write) => {
    const written = rosterRows(20_000);
    const { rows } = await readWhole(await write(written));
    expect(rows).toHaveLength(written.length);
    expect(rows[0]).toEqual({ rowNumber: 2, cells: written[0] });
    expect(rows.at(-1)).toEqual({ rowNumber: written.length + 1, cells: written.at(-1) });
  }, 120_000);

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
