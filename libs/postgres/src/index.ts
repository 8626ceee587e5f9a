export { freePort } from './free-port';
export { startEmbeddedPostgres } from './embedded-postgres';
export type { EmbeddedPostgresOptions, RunningPostgres } from './embedded-postgres';
export { runMigrations } from './migrate';
export type { MigrationClass } from './migrate';
export { CREATE_RUNTIME_ROLE, RUNTIME_ROLE, grantRuntimeRole, roleOf } from './runtime-role';
export { inTransaction, transaction } from './transaction';
