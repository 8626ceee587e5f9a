import type { Config } from '@lbc/config';
import { openEmbeddedDatabase } from '@lbc/postgres';

export interface OpenDatabase {
  /** What the services connect as: in production a member of the runtime role, not the owner. */
  readonly url: string;
  /** The schema owner, who migrates; unset when DATABASE_URL both migrates and serves. */
  readonly ownerUrl?: string;
  /** Stops the embedded server, if one was started. */
  stop(): Promise<void>;
}

/**
 * DATABASE_URL (and DATABASE_OWNER_URL), or (unset) an embedded PostgreSQL kept in DATA_DIR/postgres
 * with a database `lbc`, owned by its superuser, served to the login `lbc_app`.
 */
export async function openDatabase(config: Config, onLog?: (line: string) => void): Promise<OpenDatabase> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, ownerUrl: config.DATABASE_OWNER_URL, stop: async () => undefined };
  return openEmbeddedDatabase(config.DATA_DIR, onLog);
}
