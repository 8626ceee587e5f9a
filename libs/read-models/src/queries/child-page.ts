/**
 * Keyset pagination of a school's children (API.md: `limit`, opaque `cursor`, `nextCursor`), in
 * the order a class teacher reads them: grade, class, then child id to make the order total.
 * The cursor is the last row's key, so a page never depends on how many rows came before it.
 */
export interface ChildPageKey {
  readonly grade: number;
  /** `''` for a child whose class the read models do not hold. */
  readonly className: string;
  readonly childId: string;
}

export interface ChildPage<T> {
  readonly items: readonly T[];
  /** Null on the last page. */
  readonly nextCursor: string | null;
}

export function encodeChildCursor(key: ChildPageKey): string {
  return Buffer.from(JSON.stringify([key.grade, key.className, key.childId])).toString('base64url');
}

/** Null when the text is not a cursor this API handed out. */
export function parseChildCursor(text: string): ChildPageKey | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 3) return null;
    const [grade, className, childId] = value as unknown[];
    if (!Number.isInteger(grade) || typeof className !== 'string' || typeof childId !== 'string') return null;
    return { grade: grade as number, className, childId };
  } catch {
    return null;
  }
}

/**
 * The page condition and order on a relation with `grade`, `class_name` and `child_id`; the
 * cursor's three fields are `$4`–`$6` (all null for the first page).
 */
export const AFTER_CURSOR = `($4::int IS NULL OR (grade, coalesce(class_name, ''), child_id) > ($4::int, $5::text, $6::text))`;
export const PAGE_ORDER = `grade, coalesce(class_name, ''), child_id`;

/**
 * `$1`–`$7` of a school's list: the school, `asOf`, no recorded-by cut-off (`VISIBLE`), the
 * cursor (see `AFTER_CURSOR`) and the page size plus one (see `pageOf`).
 */
export function schoolPageParameters(schoolId: string, asOf: string, after: ChildPageKey | null, limit: number): unknown[] {
  const cursor = after ? [after.grade, after.className, after.childId] : [null, null, null];
  return [schoolId, asOf, 'infinity', ...cursor, limit + 1];
}

/** `rows` fetched with `LIMIT limit + 1`: the extra row only says there is a next page. */
export function pageOf<T extends { readonly childId: string; readonly grade: number; readonly className: string | null }>(rows: readonly T[], limit: number): ChildPage<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: rows.length > limit ? encodeChildCursor({ grade: last.grade, className: last.className ?? '', childId: last.childId }) : null,
  };
}
