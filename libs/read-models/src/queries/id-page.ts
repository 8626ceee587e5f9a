/**
 * Keyset pagination of a list ordered by one id (a school's carers, its care homes): the cursor
 * is the last id handed out, opaque to the caller as the children's cursor is.
 */
export interface IdPage<T> {
  readonly items: readonly T[];
  /** Null on the last page. */
  readonly nextCursor: string | null;
}

export const encodeIdCursor = (id: string) => Buffer.from(JSON.stringify([id])).toString('base64url');

/** The last id of the previous page; null when the text is not a cursor this API handed out. */
export function parseIdCursor(text: string): string | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    return Array.isArray(value) && value.length === 1 && typeof value[0] === 'string' ? value[0] : null;
  } catch {
    return null;
  }
}

/** `rows` fetched with `LIMIT limit + 1` in id order: the extra row only says there is a next page. */
export function idPageOf<T>(rows: readonly T[], limit: number, idOf: (row: T) => string): IdPage<T> {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? encodeIdCursor(idOf(items[items.length - 1])) : null };
}
