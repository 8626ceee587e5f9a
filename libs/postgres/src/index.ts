export { freePort } from './free-port';
export { startEmbeddedPostgres } from './embedded-postgres';
export type { EmbeddedPostgresOptions, RunningPostgres } from './embedded-postgres';
export { runMigrations } from './migrate';
export type { MigrationClass } from './migrate';
