import type { Pool } from 'pg';

/** Longer than a loopback connection takes to close; a shutdown never waits on a lost one. */
const CLOSE_WAIT_MS = 2_000;

/**
 * Ends a pool and waits until its connections have closed. pg-pool's `end()` resolves once it has
 * asked its idle connections to end, not once they have: a server stopped right after cuts them
 * ("terminating connection due to administrator command"), which the pool reports as an error.
 */
export async function endPool(pool: Pool): Promise<void> {
  let open = pool.totalCount;
  const closed = new Promise<void>((resolve) => {
    if (open === 0) return resolve();
    const timer = setTimeout(resolve, CLOSE_WAIT_MS);
    timer.unref();
    pool.on('remove', () => {
      open -= 1;
      if (open === 0) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  await pool.end();
  await closed;
}
