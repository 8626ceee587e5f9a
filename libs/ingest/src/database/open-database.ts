import { join } from 'node:path';
import { Client } from 'pg';
import type { Config } from '@lbc/config';
import { startEmbeddedPostgres } from '@lbc/postgres';

export interface OpenDatabase {
  readonly url: string;
  /** Stops the embedded server, if one was started. */
  stop(): Promise<void>;
}

const DATABASE = 'lbc';

/** DATABASE_URL, or (unset) an embedded PostgreSQL kept in DATA_DIR/postgres with a database `lbc`. */
export async function openDatabase(config: Config, onLog?: (line: string) => void): Promise<OpenDatabase> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, stop: async () => undefined };
  const server = await startEmbeddedPostgres({ dataDir: join(config.DATA_DIR, 'postgres'), persistent: true, onLog });
  const client = new Client({ connectionString: server.url });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await client.end();
  }
  return { url: server.urlFor(DATABASE), stop: () => server.stop() };
}
