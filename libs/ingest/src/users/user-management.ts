import type { Role, UserScope } from '@lbc/accounts';
import type { Session } from '@lbc/http';

/** The account roles that manage accounts (API.md "Accounts"). */
export const ACCOUNT_MANAGERS: Role[] = ['platform_admin', 'school_admin'];

/** A binding an account has or would get. */
export interface Binding {
  readonly role: Role;
  readonly schoolId?: string;
}

/** platform_admin manages every account; school_admin the school_staff of its own school; no one else any. */
export function mayManage(actor: Session, account: Binding): boolean {
  if (actor.role === 'platform_admin') return true;
  return actor.role === 'school_admin' && account.role === 'school_staff' && account.schoolId === actor.schoolId;
}

/** The accounts `actor` may manage, as a listing's scope (`mayManage` as a filter). */
export function managedScope(actor: Session): UserScope {
  return actor.role === 'platform_admin' ? {} : { schoolId: actor.schoolId, role: 'school_staff' };
}
