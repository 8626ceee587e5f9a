export type { PersonalData, PersonalDataErrorCode, PersonalDataVault, SealedPersonalData } from './personal-data-vault';
export { PersonalDataError } from './personal-data-vault';
export type { Connection } from './postgres/connection';
export { createPersonalDataVault, migratePersonalData } from './postgres/postgres-personal-data-vault';
export type { PersonalDataVaultOptions } from './postgres/postgres-personal-data-vault';
export { AccessLog, accessHash, brokenAccessLink, reasonOfRole } from './access-log/access-log';
export type { AccessEntry, AccessLogFilter, LoggedAccess } from './access-log/access-log';
