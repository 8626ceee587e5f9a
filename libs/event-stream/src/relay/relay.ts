import type { Checkpoint, EventStore, RecordedEvent, Subscription } from '@lbc/event-store';
import { START } from '@lbc/event-store';
import type { Bus } from '@lbc/messaging';
import { endPool, runMigrations } from '@lbc/postgres';
import { Pool } from 'pg';
import type { StreamLogger } from '../lag';
import { countEventsAfter } from '../lag';
import { RelayCheckpoints1764000000001 } from './relay-checkpoint.migration';
import { toBusMessage } from './relay-message';

export interface RelayOptions {
  readonly store: EventStore;
  readonly bus: Bus;
  /** PostgreSQL holding the relay's checkpoint (table `relay_checkpoints`). */
  readonly databaseUrl: string;
  readonly topic: string;
  /** Names the checkpoint, so several relays (topics) can share the table. */
  readonly name?: string;
  readonly batchSize?: number;
  readonly logger: StreamLogger;
}

export interface Relay {
  /** Events in the store not yet published (acknowledged by the bus), up to `LAG_COUNT_LIMIT`. */
  lag(): Promise<number>;
  checkpoint(): Checkpoint;
  stop(): Promise<void>;
}

const RETRY_FIRST_MS = 100;
const RETRY_MAX_MS = 5_000;

/** The relay's checkpoint table (history table `relay_migrations`). */
export function migrateRelay(url: string): Promise<void> {
  return runMigrations(url, 'relay_migrations', [RelayCheckpoints1764000000001]);
}

/**
 * Publishes the store's all-stream to the bus, batch by batch, from its stored checkpoint. The
 * checkpoint moves only after the bus acknowledged the batch: a crash in between publishes the
 * batch again (at least once), and the projector's offsets and event ids make that harmless.
 */
export async function startRelay(options: RelayOptions): Promise<Relay> {
  const name = options.name ?? options.topic;
  await migrateRelay(options.databaseUrl);
  const pool = new Pool({ connectionString: options.databaseUrl, max: 2 });
  pool.on('error', (error) => options.logger.warn({ err: error }, 'relay: idle database connection failed'));
  const { rows } = await pool.query<{ checkpoint: Checkpoint }>('SELECT checkpoint FROM relay_checkpoints WHERE name = $1', [name]);
  let checkpoint = rows[0]?.checkpoint ?? START;
  let stopping = false;
  let wakeRetry: (() => void) | undefined;

  const saveCheckpoint = (next: Checkpoint) =>
    pool.query(
      `INSERT INTO relay_checkpoints (name, checkpoint, updated_at) VALUES ($1, $2, now())
       ON CONFLICT (name) DO UPDATE SET checkpoint = EXCLUDED.checkpoint, updated_at = EXCLUDED.updated_at`,
      [name, next],
    );

  // A broker that is down holds the relay here, retrying the same batch, instead of letting the
  // subscription read further: nothing is skipped and the order per key is kept.
  const untilDone = async (what: string, work: () => Promise<unknown>): Promise<boolean> => {
    for (let delay = RETRY_FIRST_MS; !stopping; delay = Math.min(delay * 2, RETRY_MAX_MS)) {
      try {
        await work();
        return true;
      } catch (error) {
        options.logger.warn({ err: error, retryInMs: delay }, `relay: ${what} failed`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          wakeRetry = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
    return false;
  };

  // One batch is published (then checkpointed) while the subscription reads and encodes the next;
  // each waits for the one before it, so batches reach the bus in store order, a failing one
  // holding back all after it.
  let inFlight: Promise<boolean> = Promise.resolve(true);
  const handle = async (events: readonly RecordedEvent[]) => {
    const last = events[events.length - 1].checkpoint;
    const messages = events.map(toBusMessage);
    if (!(await inFlight)) throw new Error('relay stopping');
    inFlight = (async () => {
      if (!(await untilDone('publish', () => options.bus.publish(options.topic, messages)))) return false;
      if (!(await untilDone('checkpoint', () => saveCheckpoint(last)))) return false;
      checkpoint = last;
      return true;
    })();
  };

  const subscription: Subscription = options.store.subscribeToAll({
    after: checkpoint,
    batchSize: options.batchSize ?? 1000,
    handle: (events) => (stopping ? Promise.reject(new Error('relay stopping')) : handle(events)),
    onError: (error) => stopping || options.logger.error({ err: error }, 'relay: reading the store failed'),
  });
  options.logger.info({ topic: options.topic, checkpoint }, 'relay: started');

  return {
    lag: () => countEventsAfter(options.store, checkpoint),
    checkpoint: () => checkpoint,
    stop: async () => {
      stopping = true;
      wakeRetry?.();
      await subscription.stop();
      await inFlight;
      await endPool(pool);
    },
  };
}
