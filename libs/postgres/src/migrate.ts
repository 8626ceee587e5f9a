import type { MigrationInterface } from 'typeorm';
import { DataSource } from 'typeorm';

export type MigrationClass = new () => MigrationInterface;

/**
 * Applies a library's schema migrations (TypeORM migration classes), each library keeping its
 * own history table so that libraries migrate independently. TypeORM takes an advisory lock, so
 * several processes starting at once apply each migration exactly once.
 */
export async function runMigrations(url: string, table: string, migrations: MigrationClass[]): Promise<void> {
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
