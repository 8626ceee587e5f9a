import { z } from 'zod';
import { ID_PATTERN } from '@lbc/domain';

/** `child-…`, `carer-…` or `school-…` with an interchange id: the streams of DOMAIN.md. */
export const STREAM_ID = new RegExp(`^(child|carer|school)-${ID_PATTERN.source.slice(1, -1)}$`);

/** A whole number of up to 15 digits (tree sizes, revisions, cursors). */
export const count = (min: number) =>
  z
    .string()
    .regex(/^\d{1,15}$/, `must be a whole number from ${min}`)
    .transform(Number)
    .refine((n) => n >= min, `must be a whole number from ${min}`);

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
