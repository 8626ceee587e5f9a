import { randomUUID } from 'node:crypto';
import type { PoolConfig } from 'pg';
import { Client, Pool } from 'pg';

export interface TestDatabase {
  readonly url: string;
  /**
   * A pool on this database, ended by `drop()`. PostgreSQL may end an idle connection at any time
   * (an administrator, a restart); the pool then opens another, and the test goes on instead of
   * dying of an unhandled 'error' event, as it would with a bare `new Pool()`.
   */
  pool(config?: Omit<PoolConfig, 'connectionString'>): Pool;
  /** Ends the pools from `pool()`, then drops the database, ending whatever else is connected. */
  drop(): Promise<void>;
}

function serverUrl(): string {
  const url = process.env.TEST_POSTGRES_URL;
  if (!url) throw new Error('TEST_POSTGRES_URL is not set: add libs/testing postgres.global-setup to jest.config.ts');
  return url;
}

async function onServer<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * `pool.end()` resolves once it has asked each connection to close, not once they have: a forced
 * DROP DATABASE right after it would end connections still open, and fail the test that ran last.
 * 'remove' comes when a connection's socket has closed.
 */
async function endPool(pool: Pool): Promise<void> {
  let open = pool.totalCount;
  const closed = new Promise<void>((resolve) => {
    if (open === 0) resolve();
    pool.on('remove', () => --open === 0 && resolve());
  });
  await pool.end();
  await closed;
}

/** A fresh, empty database on the run's PostgreSQL server. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `test_${randomUUID().replace(/-/g, '')}`;
  await onServer((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  const pools: Pool[] = [];
  return {
    url: url.toString(),
    pool: (config) => {
      const pool = new Pool({ ...config, connectionString: url.toString() });
      pool.on('error', (error) => console.warn(`test database ${name}: idle connection ended: ${error.message}`));
      pools.push(pool);
      return pool;
    },
    drop: async () => {
      await Promise.all(pools.splice(0).map(endPool));
      await onServer((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
