export type { NewUser, User } from './account';
export { AccountError } from './account';
export { Accounts, DEMO_PASSWORD, migrateAccounts } from './accounts';
export type { DemoSchool } from './accounts';
export { isSchoolRole, ROLES, SCHOOL_ROLES, seesPersonalData } from './roles';
export type { Role } from './roles';
export { runAdminCreate } from './admin-create.cli';
