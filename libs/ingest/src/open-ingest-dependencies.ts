import { Pool } from 'pg';
import type { Logger } from 'pino';
import { Accounts } from '@lbc/accounts';
import type { Config } from '@lbc/config';
import { openEventStore } from '@lbc/event-store';
import { createPersonalDataVault } from '@lbc/personal-data';
import { openReadModels } from '@lbc/read-models';
import { endPool } from '@lbc/postgres';
import type { MigrateOptions } from './database/migrate-database';
import { migrateDatabase } from './database/migrate-database';
import { openDatabase } from './database/open-database';
import type { IngestDependencies } from './ingest-dependencies';

export interface OpenedIngestDependencies {
  readonly deps: IngestDependencies;
  /** Closes the adapters, then stops the embedded PostgreSQL if one was started. */
  close(): Promise<void>;
}

/**
 * The adapters the configuration asks for: PostgreSQL (DATABASE_URL, or embedded in DATA_DIR),
 * the event store (EventStoreDB when EVENTSTORE_URL is set, else PostgreSQL), the personal-data
 * vault, the accounts and the live read models (migrated here). Shared by the ingest app and
 * the one-process platform.
 */
export async function openIngestDependencies(
  config: Config,
  logger: Logger,
  { alongside = [] }: Pick<MigrateOptions, 'alongside'> = {},
): Promise<OpenedIngestDependencies> {
  const database = await openDatabase(config);
  await migrateDatabase(database, { postgresEvents: config.EVENTSTORE_URL === undefined, alongside });
  const pool = new Pool({ connectionString: database.url, max: 8 });
  // An idle client the server dropped must not take the process down; the next query reconnects.
  pool.on('error', (error) => logger.warn({ err: error }, 'postgres: idle client error'));
  const eventStore = await openEventStore({ eventStoreUrl: config.EVENTSTORE_URL, databaseUrl: database.url });
  const vault = await createPersonalDataVault({ url: database.url, masterKey: config.MASTER_KEY, keyDir: config.KEY_DIR });
  const accounts = new Accounts(pool);
  const readModels = await openReadModels(database.url);
  return {
    deps: { config, databaseUrl: database.url, pool, accounts, eventStore, vault, readModels, logger },
    close: async () => {
      await readModels.destroy();
      await eventStore.close();
      await vault.close();
      await endPool(pool);
      await database.stop();
    },
  };
}
