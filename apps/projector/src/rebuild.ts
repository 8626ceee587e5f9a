import { openEventStore } from '@lbc/event-store';
import type { RebuildConfig } from '@lbc/config';
import { rebuildReadModels } from '@lbc/event-stream';
import { onScriptDatabase } from '@lbc/postgres';
import { SingleBar } from 'cli-progress';
import { Client } from 'pg';

/**
 * The bar's total, for its ETA: the PostgreSQL store's row count. The port has no count, and
 * EventStoreDB none that is cheap, so with it the bar shows progress and speed without an ETA.
 */
async function storedEventCount(databaseUrl: string, eventStoreUrl: string | undefined): Promise<number | null> {
  if (eventStoreUrl) return null;
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM event_store.events');
    return Number(rows[0].n);
  } finally {
    await client.end();
  }
}

/**
 * `npm run rebuild`: replays the event store (as configured) into fresh read-model tables and swaps
 * them in. Without DATABASE_URL, on the embedded PostgreSQL in DATA_DIR as the schema owner (who
 * created the live read models there, and may drop them).
 */
export async function rebuildWithProgressBar(config: RebuildConfig): Promise<void> {
  await onScriptDatabase(config.DATABASE_URL, config.DATA_DIR, ({ ownerUrl }) => rebuild(ownerUrl, config.EVENTSTORE_URL));
}

async function rebuild(databaseUrl: string, eventStoreUrl: string | undefined): Promise<void> {
  const store = await openEventStore({ eventStoreUrl, databaseUrl, poolSize: 4 });
  const total = await storedEventCount(databaseUrl, eventStoreUrl);
  const bar = new SingleBar({
    format:
      total === null
        ? 'rebuild {value} events | {speed} events/s'
        : 'rebuild [{bar}] {value}/{total} events | {speed} events/s | ETA {eta_formatted}',
    etaBuffer: 50,
  });
  bar.start(total ?? 0, 0, { speed: 0 });
  const startedAt = process.hrtime.bigint();
  try {
    const result = await rebuildReadModels({
      store,
      databaseUrl,
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
  } finally {
    await store.close();
  }
}
