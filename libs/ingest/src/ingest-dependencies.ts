import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Accounts } from '@lbc/accounts';
import type { Config } from '@lbc/config';
import type { EventStore } from '@lbc/event-store';
import type { HealthSource } from '@lbc/event-stream';
import type { PersonalDataVault } from '@lbc/personal-data';

/** What an app hands to the ingest: its configuration and ready adapters. */
export interface IngestDependencies {
  readonly config: Config;
  /** The PostgreSQL the ingest keeps its own tables in (accounts, carer pairings). */
  readonly databaseUrl: string;
  readonly pool: Pool;
  readonly accounts: Accounts;
  readonly eventStore: EventStore;
  readonly vault: PersonalDataVault;
  /** The live read models (`openReadModels`, after `migrateReadModels`), for the read-side API (`@lbc/read-api`) the app mounts beside. */
  readonly readModels: DataSource;
  readonly logger: Logger;
  /**
   * What `/health` adds to the database and event store it checks: the platform's name, the lag
   * of its projector and Kafka when it runs on it. Unset: the ingest app alone.
   */
  readonly health?: Pick<HealthSource, 'component' | 'lag' | 'kafkaTopic'> & { readonly kafka?: () => Promise<unknown> };
  /** Server clock (`now` of commands); the real one unless a test pins it. */
  readonly clock?: () => Date;
}
