/**
 * Why a submitted event or a command is refused. Codes are stable and machine-readable (they reach
 * clients as the problem-details `code` and as a batch result's `reason`); `field` is a path into
 * the submitted event in dot-and-index notation (`data.parents[0].workCity`), `''` for the event
 * as a whole.
 */
export type RefusalCode =
  // the interchange format
  | 'unknown-field'
  | 'missing-field'
  | 'invalid-value'
  | 'unknown-type'
  | 'invalid-subject'
  // subjects and who may write to them
  | 'unknown-child'
  | 'unknown-school'
  | 'unknown-carer'
  | 'already-registered'
  | 'other-school'
  | 'closed-file'
  | 'already-erased'
  // time
  | 'future-occurred-at'
  | 'before-birth'
  // pairings and carers
  | 'duplicate-pairing'
  | 'carer-over-load'
  | 'carer-retired'
  | 'unknown-pairing'
  | 'pairing-already-ended'
  | 'pairing-end-before-start'
  // ids of pairings, activities, incidents and care homes are unique in their stream
  | 'duplicate-id'
  // care activities
  | 'unknown-activity'
  | 'already-voided'
  | 'unknown-care-home'
  // incidents
  | 'unknown-incident'
  | 'notification-before-incident'
  | 'party-already-notified'
  | 'already-resolved'
  | 'resolution-before-incident'
  // enrollment, risk and left-behind status
  | 'invalid-enrollment-change'
  | 'risk-already-open'
  | 'risk-not-open'
  | 'left-behind-status-active'
  | 'left-behind-status-not-active';

export interface Refusal {
  readonly code: RefusalCode;
  readonly message: string;
  readonly field: string;
}

export function refusal(code: RefusalCode, field: string, message: string): Refusal {
  return { code, field, message };
}
