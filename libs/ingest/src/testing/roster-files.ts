import ExcelJS from 'exceljs';
import type { DataSource } from 'typeorm';

/** Class roster (花名册) files for tests, with the headers schools use. */
export const ROSTER_HEADER = ['序号', '姓名', '性别', '出生年月', '年级', '班级', '留守类型', '监护人', '与学生关系', '监护人电话', '家庭住址', '父亲姓名', '父亲务工地', '母亲务工地', '学籍号'];

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A valid row for pupil `i` (学籍号 derived from `i`, so every `i` is another child). */
export function rosterRow(i: number): string[] {
  return [String(i), `学生${i}`, i % 2 ? '男' : '女', '2016.03', '三年级', `${(i % 9) + 1}班`, '留守儿童', '张爷爷', '祖父', '13811112222', '东城镇石板村3组', '张大山', '广东东莞', '', `G5108212016${String(i).padStart(8, '0')}`];
}

export function rosterRows(count: number, first = 1): string[][] {
  return Array.from({ length: count }, (_, i) => rosterRow(first + i));
}

export function rosterCsv(rows: readonly (readonly string[])[]): Buffer {
  return Buffer.from([ROSTER_HEADER, ...rows].map((row) => row.join(',')).join('\r\n'), 'utf8');
}

export async function rosterXlsx(rows: readonly (readonly string[])[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('花名册');
  sheet.addRow(ROSTER_HEADER);
  for (const row of rows) sheet.addRow([...row]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Rows of every table of the database, by `schema.table`: what a request that writes nothing leaves unchanged. */
export async function rowsOfEveryTable(db: DataSource): Promise<Record<string, number>> {
  const tables: { schema: string; name: string }[] = await db.query(
    `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
     WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`,
  );
  const counts: Record<string, number> = {};
  for (const { schema, name } of tables) {
    const [{ count }] = await db.query(`SELECT count(*)::int AS count FROM "${schema}"."${name}"`);
    counts[`${schema}.${name}`] = count;
  }
  return counts;
}
