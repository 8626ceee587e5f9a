import type { z } from 'zod';
import { Problem } from './problem';

function pathOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text === '' ? String(key) : `${text}.${String(key)}`), '');
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((inner, key) => (inner !== null && typeof inner === 'object' ? (inner as Record<PropertyKey, unknown>)[key] : undefined), value);
}

/**
 * Parses a request part (body, query) with a zod schema, or throws a 400 problem naming the first
 * offending field, with the same codes as the interchange format (`unknown-field`,
 * `missing-field`, `invalid-value`). `prefix` roots the field path (e.g. `query`).
 */
export function validate<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const at = (path: readonly PropertyKey[]) => [prefix, pathOf(path)].filter(Boolean).join('.');
  if (issue.code === 'unrecognized_keys') {
    throw new Problem(400, 'unknown-field', 'Unknown fields are refused, not ignored', at([...issue.path, issue.keys[0]]));
  }
  const field = at(issue.path);
  // Zod 4 leaves `input` out of its issues, and says `invalid_value` for a missing enum: look it up.
  const missing = issue.path.length > 0 && valueAt(value ?? {}, issue.path) === undefined;
  throw new Problem(400, missing ? 'missing-field' : 'invalid-value', missing ? `${field}: required` : `${field}: ${issue.message}`, field);
}
