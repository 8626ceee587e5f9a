import type { RejectionCode } from './rejection';

/** One submitted event's outcome, in submission order (INTERCHANGE.md). */
export interface EventResult {
  /** As submitted; null when the submission had no readable eventId. */
  readonly eventId: string | null;
  readonly status: 'accepted' | 'duplicate' | 'rejected';
  readonly reason?: RejectionCode;
  readonly field?: string;
  /** Human-readable reason of a rejection. */
  readonly message?: string;
  /** Of the stored event (for a duplicate: as first stored). */
  readonly globalPosition?: number;
}
