import { createPostgresEventStore } from '@lbc/event-store';
import { rebuildReadModels } from '@lbc/stream';
import { SingleBar } from 'cli-progress';
import { Client } from 'pg';

async function storedEventCount(url: string): Promise<number> {
  // The bar's total, for its ETA: the PostgreSQL store's row count (the port has no count).
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM event_store.events');
    return Number(rows[0].n);
  } finally {
    await client.end();
  }
}

/** `npm run rebuild`: replays the event store into fresh read-model tables and swaps them in. */
export async function rebuildWithProgressBar(DATABASE_URL: string): Promise<void> {
  const store = await createPostgresEventStore({ url: DATABASE_URL, poolSize: 4 });
  const bar = new SingleBar({
    format: 'rebuild [{bar}] {value}/{total} events | {speed} events/s | ETA {eta_formatted}',
    etaBuffer: 50,
  });
  bar.start(await storedEventCount(DATABASE_URL), 0, { speed: 0 });
  const startedAt = process.hrtime.bigint();
  const result = await rebuildReadModels({
    store,
    databaseUrl: DATABASE_URL,
    onProgress: (replayed) => {
      const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
      // Events appended during the rebuild are replayed too: the total grows with them.
      if (replayed > bar.getTotal()) bar.setTotal(replayed);
      bar.update(replayed, { speed: Math.round(replayed / seconds) });
    },
  });
  bar.stop();
  const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
  console.log(`rebuilt ${result.events} events (${result.facts} facts) in ${seconds.toFixed(1)} s: ${Math.round(result.events / seconds)} events/s; swapped in`);
  await store.close();
}
