import { join } from 'node:path';
import { Client } from 'pg';
import type { Config } from '@lbc/config';
import { startEmbeddedPostgres } from '@lbc/postgres';

export interface OpenDatabase {
  /** What the services connect as: in production a member of the runtime role, not the owner. */
  readonly url: string;
  /** The schema owner, who migrates; unset when DATABASE_URL both migrates and serves. */
  readonly ownerUrl?: string;
  /** Stops the embedded server, if one was started. */
  stop(): Promise<void>;
}

const DATABASE = 'lbc';
/** The embedded server's service login (created by the migrations); loopback only, hence a fixed password. */
const LOGIN = 'lbc_app';

/**
 * DATABASE_URL (and DATABASE_OWNER_URL), or (unset) an embedded PostgreSQL kept in DATA_DIR/postgres
 * with a database `lbc`, owned by its superuser, served to the login `lbc_app`.
 */
export async function openDatabase(config: Config, onLog?: (line: string) => void): Promise<OpenDatabase> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, ownerUrl: config.DATABASE_OWNER_URL, stop: async () => undefined };
  const server = await startEmbeddedPostgres({ dataDir: join(config.DATA_DIR, 'postgres'), persistent: true, onLog });
  const client = new Client({ connectionString: server.url });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await client.end();
  }
  const ownerUrl = server.urlFor(DATABASE);
  const url = new URL(ownerUrl);
  url.username = LOGIN;
  url.password = LOGIN;
  return { url: url.toString(), ownerUrl, stop: () => server.stop() };
}
