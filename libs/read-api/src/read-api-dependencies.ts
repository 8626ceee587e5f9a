import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { Config } from '@lbc/config';
import type { EventStore } from '@lbc/event-store';
import type { PersonalDataVault } from '@lbc/personal-data';

/** What an app hands to the read-side API; `IngestDependencies` carries all of it. */
export interface ReadApiDependencies {
  /** `MAX_CARER_LOAD` (carerLoad.overLimit) and `SUPPRESSION_K` (small-cell suppression). */
  readonly config: Pick<Config, 'MAX_CARER_LOAD' | 'SUPPRESSION_K'>;
  /** The live read models (`openReadModels`): every figure and list is read from them. */
  readonly readModels: DataSource;
  /** Children's names for the school lists come from their streams, opened with the vault. */
  readonly eventStore: EventStore;
  readonly vault: PersonalDataVault;
  /** The database of the access log, where every name opened is recorded. */
  readonly pool: Pool;
  /** Today's date (the default `asOf`) comes from here; the real clock unless a test pins it. */
  readonly clock?: () => Date;
}
