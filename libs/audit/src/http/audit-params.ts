import { z } from 'zod';

/**
 * `child-…`, `carer-…` or `school-…` with an interchange id: the streams of DOMAIN.md, as long as
 * any id in a path may be (`ID_PATTERN`: 128 characters).
 */
export const STREAM_ID = /^(child|carer|school)-[A-Za-z0-9][A-Za-z0-9._:-]{0,120}$/;

/** The OpenAPI pattern of `count(0)` and `count(1)`. */
export const COUNT_PATTERN = { 0: '^\\d{1,15}$', 1: '^[1-9]\\d{0,14}$' } as const;

/** A whole number of up to 15 digits (tree sizes, revisions, cursors), from 0 or from 1. */
export const count = (min: 0 | 1) => z.string().regex(new RegExp(COUNT_PATTERN[min]), `must be a whole number from ${min}`).transform(Number);

/** Why personal data is opened: stated before it opens, recorded in the access log. */
export const reasonParam = z
  .string()
  .trim()
  .min(4, 'state why you open this personal data (at least 4 characters)')
  .max(500)
  .regex(/^[^\p{Cc}]*$/u, 'must be one line of text');

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;
export const limitParam = count(1)
  .refine((n) => n <= MAX_LIMIT, `must be at most ${MAX_LIMIT}`)
  .default(DEFAULT_LIMIT);

export const AUDIT_ROLES = ['auditor', 'platform_admin'] as const;
