import { Problem } from '@lbc/http';
import type { EventResult } from './event-result';
import type { RejectionCode } from './rejection';

const MALFORMED: ReadonlySet<RejectionCode> = new Set(['unknown-field', 'missing-field', 'invalid-value', 'unknown-type', 'invalid-subject']);

/** The HTTP status answering a rejection on its own: malformed 400, forbidden 403, conflicts 409, rules 422. */
export function statusOfRejection(code: RejectionCode): number {
  if (MALFORMED.has(code)) return 400;
  if (code === 'forbidden') return 403;
  if (code === 'conflict' || code === 'concurrent-write') return 409;
  return 422;
}

/** The problem answering a rejected event on its own (a single event, a form). */
export function problemOfRejected(result: EventResult, field: string | undefined, extensions: Readonly<Record<string, unknown>>): Problem {
  const code = result.reason ?? 'invalid-value';
  return new Problem(statusOfRejection(code), code, result.message ?? code, field, { eventId: result.eventId, ...extensions });
}
