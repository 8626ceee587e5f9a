/**
 * `data.personal` of an event as stored: encrypted with the subject's data key (INTERCHANGE.md).
 * JSON-safe, so that it travels inside the event unchanged; all byte fields are base64.
 */
export interface SealedPersonalData {
  readonly v: 1;
  /** The version of the subject's data key that sealed it. */
  readonly key: number;
  readonly iv: string;
  readonly ct: string;
  readonly tag: string;
}

/** The plaintext of `data.personal`: a JSON object. */
export type PersonalData = Readonly<Record<string, unknown>>;

/**
 * Crypto-shredding of personal data: every subject (a child or a carer) has its own data key;
 * `erase` destroys it, after which everything sealed for the subject is unreadable.
 */
export interface PersonalDataVault {
  /**
   * Encrypts `personal` with the subject's key, creating the key on first use. Deterministic: the
   * same subject and content always give the same sealed value, so a resent event is recognised.
   * Refused (`subject-erased`) once the subject's data is erased.
   */
  seal(subjectId: string, personal: unknown): Promise<SealedPersonalData>;
  /** The plaintext, or null once the subject's data is erased. Tampered or foreign data throws. */
  open(subjectId: string, sealed: unknown): Promise<PersonalData | null>;
  /**
   * Destroys the subject's data key, keeping only the time of erasure, and returns once no key
   * material left anywhere opens it (see the implementation). Idempotent: returns the first erasure's time.
   */
  erase(subjectId: string): Promise<Date>;
  isErased(subjectId: string): Promise<boolean>;
  close(): Promise<void>;
}

export type PersonalDataErrorCode =
  | 'invalid-subject'
  | 'invalid-personal'
  | 'invalid-sealed'
  | 'invalid-master-key'
  | 'subject-erased'
  | 'unknown-key'
  | 'wrong-master-key'
  | 'missing-key-encryption-key'
  | 'tampered';

/** A refused vault operation; `field` names the offending input where there is one. */
export class PersonalDataError extends Error {
  constructor(
    readonly code: PersonalDataErrorCode,
    readonly field: string | null,
    message: string,
  ) {
    super(message);
    this.name = 'PersonalDataError';
  }
}
