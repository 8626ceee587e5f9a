import type { Role } from './roles';

export interface User {
  readonly id: string;
  readonly username: string;
  readonly role: Role;
  /** Set exactly for school roles. */
  readonly schoolId?: string;
  readonly countyId: string;
  readonly disabled: boolean;
}

export interface NewUser {
  readonly username: string;
  readonly password: string;
  readonly role: Role;
  readonly schoolId?: string;
  readonly countyId: string;
}

/** A refused account operation, naming the offending field. */
export class AccountError extends Error {
  constructor(
    readonly code: 'invalid-username' | 'weak-password' | 'unknown-role' | 'school-required' | 'school-not-allowed' | 'username-taken',
    readonly field: keyof NewUser,
    message: string,
  ) {
    super(message);
    this.name = 'AccountError';
  }
}
