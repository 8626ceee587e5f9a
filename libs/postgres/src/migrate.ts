import { Client } from 'pg';
import type { MigrationInterface } from 'typeorm';
import { DataSource } from 'typeorm';

export type MigrationClass = new () => MigrationInterface;

/**
 * Applies a library's schema migrations (TypeORM migration classes), each library keeping its
 * own history table so that libraries migrate independently. TypeORM does not serialise
 * concurrent runs (two replicas starting together both try to create the same tables), so a
 * session advisory lock per history table makes each migration apply exactly once.
 */
export async function runMigrations(url: string, table: string, migrations: MigrationClass[]): Promise<void> {
  const lock = new Client({ connectionString: url });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [`migrations:${table}`]);
    await applyMigrations(url, table, migrations);
  } finally {
    // Ending the session releases the lock, also when a migration failed.
    await lock.end();
  }
}

async function applyMigrations(url: string, table: string, migrations: MigrationClass[]): Promise<void> {
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    migrations,
    migrationsTableName: table,
    migrationsTransactionMode: 'each',
    logging: false,
  });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations();
  } finally {
    await dataSource.destroy();
  }
}
