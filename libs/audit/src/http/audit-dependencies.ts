import type { Pool } from 'pg';
import type { EventStore } from '@lbc/event-store';
import type { PersonalDataVault } from '@lbc/personal-data';
import type { TreeHeadKey } from '../tree/tree-heads';

/** What an app hands to the auditors' API. */
export interface AuditDependencies {
  readonly eventStore: EventStore;
  readonly vault: PersonalDataVault;
  /** The database of the `audit` schema (migrated with `migrateAudit`). */
  readonly auditPool: Pool;
  /** Signs tree heads; kept outside the database (`CHECKPOINT_KEY`). */
  readonly treeHeadKey: TreeHeadKey;
  readonly clock?: () => Date;
}
