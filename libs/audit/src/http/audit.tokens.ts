/** Injection tokens of what the app hands to the auditors' API (see `AuditDependencies`). */
export const AUDIT_DEPENDENCIES = Symbol('AuditDependencies');
export const AUDIT_CLOCK = Symbol('AuditClock');
