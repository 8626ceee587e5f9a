import { fieldPath } from './field-path';

// PostgreSQL refuses NUL in text and jsonb, and jsonb refuses an escaped surrogate without its
// partner: either would fail the write after the checks passed, so they are refused up front.
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether a text holds a NUL or an unpaired UTF-16 surrogate, which no store here can keep. */
export function isUnstorableText(text: string): boolean {
  return text.includes('\u0000') || UNPAIRED_SURROGATE.test(text);
}

/**
 * The path (dot-and-index notation) of the first text, or object key, in a parsed JSON value that
 * holds a NUL or an unpaired surrogate; null when there is none.
 */
export function unstorableTextAt(value: unknown, path: readonly PropertyKey[] = []): string | null {
  if (typeof value === 'string') return isUnstorableText(value) ? fieldPath(path) : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unstorableTextAt(value[i], [...path, i]);
      if (found !== null) return found;
    }
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  for (const [key, item] of Object.entries(value)) {
    if (isUnstorableText(key)) return fieldPath([...path, key]);
    const found = unstorableTextAt(item, [...path, key]);
    if (found !== null) return found;
  }
  return null;
}
