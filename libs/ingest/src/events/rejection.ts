import type { Refusal, RefusalCode } from '@lbc/domain';

/**
 * Why an event was not written: a domain refusal, or one of the ingest's own reasons —
 * `forbidden` (API.md), `conflict` (the `eventId` is stored with other content),
 * `atomic-batch-aborted` (another event of an `?atomic=true` batch was rejected) and
 * `concurrent-write` (other writers kept moving the stream).
 */
export type RejectionCode = RefusalCode | 'forbidden' | 'conflict' | 'atomic-batch-aborted' | 'concurrent-write';

export interface Rejection {
  readonly code: RejectionCode;
  readonly message: string;
  readonly field: string;
}

export function rejection(code: RejectionCode, field: string, message: string): Rejection {
  return { code, field, message };
}

export function fromRefusal(refusal: Refusal): Rejection {
  return { code: refusal.code, field: refusal.field, message: refusal.message };
}
