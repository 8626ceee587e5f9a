import type { RosterColumn } from './roster-columns';

export interface RosterRowError {
  /** Spreadsheet row number (the header is row 1); 1 for errors of the header itself. */
  readonly row: number;
  /** The header of the offending column, as in the file; null when no column is at fault. */
  readonly column: string | null;
  readonly code: string;
  readonly message: string;
}

type Cells = Partial<Record<RosterColumn, string>>;
type Converted = { readonly value: unknown } | { readonly error: { column: RosterColumn; code: string; message: string } };

const GRADES: Readonly<Record<string, number>> = {
  一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
  初一: 7, 初二: 8, 初三: 9, 高一: 10, 高二: 11, 高三: 12,
};

const invalid = (column: RosterColumn, message: string): Converted => ({ error: { column, code: 'invalid-value', message } });

export function gradeOf(text: string): Converted {
  const digits = /^(\d{1,2})(年级)?$/.exec(text);
  const grade = digits ? Number(digits[1]) : GRADES[text.replace(/年级$/, '')];
  return grade !== undefined && grade >= 1 && grade <= 12 ? { value: grade } : invalid('grade', `年级 "${text}": 1–12, 一年级…九年级, 初一…高三`);
}

export function genderOf(text: string): Converted {
  if (/^(男|male|m)$/i.test(text)) return { value: 'male' };
  if (/^(女|female|f)$/i.test(text)) return { value: 'female' };
  return invalid('gender', `性别 "${text}": 男 or 女`);
}

/** 2015-03, 2015.3, 2015/03/12, 2015年3月, 201503, 20150312 → 2015-03. */
export function birthMonthOf(text: string): Converted {
  const m = /^(\d{4})\s*[-./年]?\s*(\d{1,2})/.exec(text);
  const month = m ? Number(m[2]) : 0;
  return m && month >= 1 && month <= 12 ? { value: `${m[1]}-${String(month).padStart(2, '0')}` } : invalid('birthMonth', `出生年月 "${text}": a year and month such as 2015-03 or 2015年3月`);
}

/** A date, or a month taken as its first day (外出时间 is often kept to the month). */
export function awaySinceOf(text: string): Converted {
  const m = /^(\d{4})\s*[-./年]\s*(\d{1,2})(?:\s*[-./月]\s*(\d{1,2}))?/.exec(text);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return invalid('awaySince', `外出时间 "${text}": a date such as 2023-02-15 or a month such as 2023-02`);
  return { value: `${m[1]}-${m[2].padStart(2, '0')}-${(m[3] ?? '1').padStart(2, '0')}` };
}

export function categoryOf(text: string | undefined): Converted {
  if (text === undefined) return { value: 'left-behind' };
  if (/^(left-behind|orphan|abandoned|single-parent|in-difficulty)$/.test(text)) return { value: text };
  if (/留守/.test(text)) return { value: 'left-behind' };
  if (/孤儿/.test(text)) return { value: 'orphan' };
  if (/弃/.test(text)) return { value: 'abandoned' };
  if (/单亲/.test(text)) return { value: 'single-parent' };
  if (/困境|困难/.test(text)) return { value: 'in-difficulty' };
  return invalid('category', `类别 "${text}": 留守儿童, 孤儿, 被遗弃, 单亲, 困境儿童`);
}

/** From the explicit column, else from which parents have a place of work. */
export function parentsAwayOf(cells: Cells, category: string): Converted {
  const text = cells.parentsAway;
  if (text !== undefined) {
    if (/^(father|mother|both|none)$/.test(text)) return { value: text };
    if (/双|父母|均|都/.test(text)) return { value: 'both' };
    if (/父/.test(text)) return { value: 'father' };
    if (/母/.test(text)) return { value: 'mother' };
    if (/^(无|否|没有)$/.test(text)) return { value: 'none' };
    return invalid('parentsAway', `父母外出情况 "${text}": 父亲外出, 母亲外出, 父母均外出, 无`);
  }
  if (cells.fatherWorkCity && cells.motherWorkCity) return { value: 'both' };
  if (cells.fatherWorkCity) return { value: 'father' };
  if (cells.motherWorkCity) return { value: 'mother' };
  if (category === 'left-behind') {
    return { error: { column: 'fatherWorkCity', code: 'missing-value', message: 'a left-behind child needs 父母外出情况, or 父亲务工地 / 母亲务工地' } };
  }
  return { value: 'none' };
}

const GRANDPARENTS = /^(外?祖父|外?祖母|爷爷|奶奶|外公|外婆|姥姥|姥爷)$/;
const PARENTS = /^(父亲|母亲|父|母|爸爸|妈妈)$/;

/** From the explicit column, else from the guardian's relation to the child. */
export function guardianTypeOf(cells: Cells): Converted {
  const text = cells.guardianType;
  if (text !== undefined) {
    if (/^(grandparent|relative|entrusted|parent-at-home|none)$/.test(text)) return { value: text };
    if (/隔代|祖/.test(text)) return { value: 'grandparent' };
    if (/委托/.test(text)) return { value: 'entrusted' };
    if (/亲属|亲戚|寄养/.test(text)) return { value: 'relative' };
    if (/无人|^无$/.test(text)) return { value: 'none' };
    if (/父|母|单亲/.test(text)) return { value: 'parent-at-home' };
    return invalid('guardianType', `监护类型 "${text}": 隔代监护, 亲属监护, 委托监护, 父母一方在家, 无人监护`);
  }
  const relation = cells.guardianRelation;
  if (relation === undefined) return { error: { column: 'guardianType', code: 'missing-value', message: 'needs 监护类型, or 与学生关系 of the guardian' } };
  if (GRANDPARENTS.test(relation)) return { value: 'grandparent' };
  if (PARENTS.test(relation)) return { value: 'parent-at-home' };
  return { value: 'relative' };
}

export function ageOf(text: string): Converted {
  return /^\d{1,3}$/.test(text) ? { value: Number(text) } : invalid('guardianAge', `监护人年龄 "${text}": a whole number`);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a cell cannot be stored as text, or null: a NUL, or half of a UTF-16 surrogate pair. */
export function badCharacterOf(text: string): string | null {
  if (text.includes('\u0000')) return 'the cell holds a NUL character (U+0000), which cannot be stored';
  if (LONE_SURROGATE.test(text)) return 'the cell holds a broken character (a lone UTF-16 surrogate), which cannot be stored';
  return null;
}
