import { runMigrations } from '@lbc/postgres';
import { CreateCarerPairings1735800000000 } from './migrations/1735800000000-create-carer-pairings.migration';

/** The ingest's own command-side tables (history table `ingest_migrations`). */
export function migrateIngest(url: string): Promise<void> {
  return runMigrations(url, 'ingest_migrations', [CreateCarerPairings1735800000000]);
}
