import ExcelJS from 'exceljs';
import type { Sheet } from './sheet';

/** One worksheet: the header block, an empty row, the column names (bold), the table. */
export async function toXlsx(sheet: Sheet): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const worksheet = workbook.addWorksheet('statistics');
  for (const row of sheet.header) worksheet.addRow([...row]);
  worksheet.addRow([]);
  worksheet.addRow([...sheet.columns]).font = { bold: true };
  for (const row of sheet.rows) worksheet.addRow([...row]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
