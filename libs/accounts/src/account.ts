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

/** What `PATCH /api/v1/users/{id}` may change: the role binding and `disabled`. */
export interface UserPatch {
  readonly role?: Role;
  /** null: no school (a county or platform role). */
  readonly schoolId?: string | null;
  readonly countyId?: string;
  readonly disabled?: boolean;
}

/** A user as a request sees it: the account's binding now, and the token version its tokens must name. */
export interface AccountSession extends User {
  readonly tokenVersion: number;
}

/** Who made an account change: a user, or (id null) a command or the demo seed. */
export interface ChangeActor {
  readonly id: string | null;
  readonly username: string;
}

export interface AccountChange {
  readonly id: string;
  readonly at: string;
  readonly actorId: string | null;
  readonly actorUsername: string;
  readonly userId: string;
  readonly username: string;
  readonly countyId: string;
  readonly change: 'created' | 'updated' | 'password-changed';
  /** created: the new binding; updated: `{ field: { from, to } }` per changed field; never a secret. */
  readonly details: Readonly<Record<string, unknown>>;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Opaque; null on the last page. */
  readonly nextCursor: string | null;
}

/** A refused account operation, naming the offending field. */
export class AccountError extends Error {
  constructor(
    readonly code:
      | 'invalid-username'
      | 'weak-password'
      | 'unknown-role'
      | 'school-required'
      | 'school-not-allowed'
      | 'username-taken'
      | 'unknown-user'
      | 'wrong-password'
      | 'invalid-cursor',
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'AccountError';
  }
}
