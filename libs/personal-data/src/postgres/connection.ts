import { Pool } from 'pg';

/** Where the keys live: a URL (the vault opens and closes its own pool) or a pool the caller owns. */
export type Connection = { readonly url: string } | { readonly pool: Pool };

export interface OpenConnection {
  readonly pool: Pool;
  release(): Promise<void>;
}

export function openConnection(connection: Connection): OpenConnection {
  if ('pool' in connection) return { pool: connection.pool, release: () => Promise.resolve() };
  const pool = new Pool({ connectionString: connection.url });
  // An idle connection that the server drops emits here; the pool discards it and opens another.
  pool.on('error', () => undefined);
  return { pool, release: () => pool.end() };
}
