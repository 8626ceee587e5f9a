import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { ConfigError } from '@lbc/config';
import { startEmbeddedPostgres } from './embedded-postgres';
import { embeddedServerHolder } from './leftover-server';

export interface EmbeddedDatabase {
  /** The superuser on the database `lbc`: the schema owner, who migrates (and rebuilds). */
  readonly ownerUrl: string;
  /** The service login `lbc_app` (created by the migrations). */
  readonly url: string;
  stop(): Promise<void>;
}

const DATABASE = 'lbc';
/** The embedded server's service login; loopback only, hence a fixed password. */
const LOGIN = 'lbc_app';

/**
 * The embedded PostgreSQL kept in `dataDir`/postgres with its database `lbc`, as `npm start` runs
 * it, for `npm start` itself and for every script on the same DATA_DIR. Refused while another
 * process runs it: starting a second server there would stop the first one's as a leftover.
 */
export async function openEmbeddedDatabase(dataDir: string, onLog?: (line: string) => void): Promise<EmbeddedDatabase> {
  const serverDir = join(resolve(dataDir), 'postgres');
  const holder = embeddedServerHolder(serverDir);
  if (holder !== null) {
    throw new ConfigError([
      `DATA_DIR: the embedded PostgreSQL in ${serverDir} is in use by process ${holder} (npm start?); stop it first, or set DATABASE_URL to its server`,
    ]);
  }
  const server = await startEmbeddedPostgres({ dataDir: serverDir, persistent: true, onLog });
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
  return { ownerUrl, url: url.toString(), stop: () => server.stop() };
}

/**
 * Runs a script's `work` on DATABASE_URL when it is set (then both URLs are that one), else on the
 * embedded PostgreSQL in `dataDir`, started for it and stopped after.
 */
export async function onScriptDatabase<T>(
  databaseUrl: string | undefined,
  dataDir: string,
  work: (database: { url: string; ownerUrl: string }) => Promise<T>,
): Promise<T> {
  if (databaseUrl) return work({ url: databaseUrl, ownerUrl: databaseUrl });
  const embedded = await openEmbeddedDatabase(dataDir);
  try {
    return await work(embedded);
  } finally {
    await embedded.stop();
  }
}
