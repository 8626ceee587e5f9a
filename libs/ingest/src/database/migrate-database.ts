import { migrateAccounts } from '@lbc/accounts';
import { migratePostgresEventStore } from '@lbc/event-store';
import { migratePersonalData } from '@lbc/personal-data';
import { grantRuntimeRole, roleOf } from '@lbc/postgres';
import { migrateReadModels } from '@lbc/read-models';
import { migrateRelay } from '@lbc/event-stream';
import { migrateIngest } from './migrate-ingest';
import type { OpenDatabase } from './open-database';

/**
 * Every schema the platform uses, migrated by the owner; then DATABASE_URL's role joins the runtime
 * role, which may append and read events but not change them. The services' own calls to their
 * migrations later find nothing to do and need no more than SELECT on the history tables.
 */
export interface MigrateOptions {
  readonly postgresEvents: boolean;
  /** The schemas of the modules an app mounts beside the ingest (e.g. the audit log), by the same owner. */
  readonly alongside?: readonly ((ownerUrl: string) => Promise<void>)[];
}

export async function migrateDatabase(database: OpenDatabase, { postgresEvents, alongside = [] }: MigrateOptions): Promise<void> {
  const owner = database.ownerUrl ?? database.url;
  await migrateAccounts(owner);
  if (postgresEvents) await migratePostgresEventStore(owner);
  await migratePersonalData(owner);
  await migrateIngest(owner);
  await migrateReadModels(owner);
  await migrateRelay(owner);
  for (const migrate of alongside) await migrate(owner);
  // Without an owner URL, DATABASE_URL migrates: a single-role setup (development), or a service
  // whose schema the owner migrated beforehand (`main.ts migrate`, see deploy/README.md).
  if (database.ownerUrl !== undefined && roleOf(database.ownerUrl) !== roleOf(database.url)) await grantRuntimeRole(database.ownerUrl, database.url);
}
