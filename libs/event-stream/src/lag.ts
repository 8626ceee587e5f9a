import type { Checkpoint, EventStore } from '@lbc/event-store';

/** Lag is counted exactly up to this many events; beyond it the answer is "at least". */
export const LAG_COUNT_LIMIT = 10_000;

/** Events in the store after `checkpoint`, counted up to `LAG_COUNT_LIMIT`. */
export async function countEventsAfter(store: EventStore, checkpoint: Checkpoint): Promise<number> {
  if ((await store.headCheckpoint()) === checkpoint) return 0;
  return (await store.readAll({ after: checkpoint, limit: LAG_COUNT_LIMIT })).length;
}

export interface StreamLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}
