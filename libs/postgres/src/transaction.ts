import type { Pool, PoolClient } from 'pg';

/**
 * Runs `work` on a client of `pool`, released when it settles; a client whose connection was lost
 * is destroyed, and so is one whose work failed when `destroyOnFailure` (a session that may still
 * hold a lock). pg-pool takes its own error listener off a client it hands out: a connection the
 * server ends between two queries (its shutdown, Ctrl-C in a terminal reaching the embedded
 * server, an administrator) would emit an unhandled 'error' and end the process. Here it only
 * fails the work's next query.
 */
export async function withClient<T>(pool: Pool, work: (client: PoolClient) => Promise<T>, { destroyOnFailure = false } = {}): Promise<T> {
  const client = await pool.connect();
  let lost: Error | undefined;
  const onError = (error: Error) => (lost = error);
  client.on('error', onError);
  let failure: Error | undefined;
  try {
    return await work(client);
  } catch (error) {
    failure = error as Error;
    throw error;
  } finally {
    client.off('error', onError);
    client.release(lost ?? (destroyOnFailure ? failure : undefined));
  }
}

/** Runs `work` in one transaction on a client of `pool`: committed if it returns, rolled back if it throws. */
export function transaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  return withClient(pool, (client) => inTransaction(client, () => work(client)));
}

/** Runs `work` in one transaction on a client already held (e.g. under a session lock): committed if it returns, rolled back if it throws. */
export async function inTransaction<T>(client: Pick<PoolClient, 'query'>, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}
