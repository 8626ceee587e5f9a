export type { PersonalData, PersonalDataErrorCode, PersonalDataVault, SealedPersonalData } from './personal-data-vault';
export { PersonalDataError } from './personal-data-vault';
export type { Connection } from './postgres/connection';
export { createPersonalDataVault, migratePersonalData } from './postgres/postgres-personal-data-vault';
export type { PersonalDataVaultOptions } from './postgres/postgres-personal-data-vault';
