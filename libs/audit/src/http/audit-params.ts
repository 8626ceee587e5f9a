import { z } from 'zod';

/**
 * `child-…`, `carer-…` or `school-…` with an interchange id: the streams of DOMAIN.md, as long as
 * any id in a path may be (`ID_PATTERN`: 128 characters).
 */
export const STREAM_ID = /^(child|carer|school)-[A-Za-z0-9][A-Za-z0-9._:-]{0,120}$/;

/** A whole number from 1, of up to 15 digits, as written (no leading zero). */
export const COUNT_PATTERN = '^[1-9]\\d{0,14}$';

/** Tree sizes, sequence numbers, limits. */
export const count = () => z.string().regex(new RegExp(COUNT_PATTERN), 'must be a whole number from 1').transform(Number);

/** One line of text with something in it: no control characters, not only blanks. */
export const REASON_PATTERN = '^[^\\u0000-\\u001f\\u007f]*[^\\s\\u0000-\\u001f\\u007f][^\\u0000-\\u001f\\u007f]*$';

/** Why personal data is opened: stated before it opens, recorded in the access log. */
export const reasonParam = z
  .string()
  .min(4, 'state why you open this personal data (at least 4 characters)')
  .max(500)
  .regex(new RegExp(REASON_PATTERN), 'must be one line of text, not only blanks');

/** Revisions are 32-bit in the stores: nine digits cover every one a stream can reach here. */
export const REVISION_PATTERN = '^\\d{1,9}$';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;
export const limitParam = count()
  .refine((n) => n <= MAX_LIMIT, `must be at most ${MAX_LIMIT}`)
  .default(DEFAULT_LIMIT);

export const AUDIT_ROLES = ['auditor', 'platform_admin'] as const;
