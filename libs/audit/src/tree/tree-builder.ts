import type { EventStore } from '@lbc/event-store';
import type { MerkleLog } from './merkle-log';
import type { TreeHeads } from './tree-heads';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface TreeBuilderOptions {
  readonly store: EventStore;
  readonly log: MerkleLog;
  readonly heads: TreeHeads;
  readonly onError: (error: unknown) => void;
  /** How often to look whether a day has passed since the last signed head. */
  readonly checkEveryMs?: number;
}

export interface TreeBuilder {
  stop(): Promise<void>;
}

/**
 * Follows the all-stream into the Merkle log (at least once: the log skips what it holds) and
 * signs a tree head at least daily, also when nothing new was recorded, so that a head's age
 * tells an auditor how fresh the platform's commitment is.
 */
export async function startTreeBuilder({ store, log, heads, onError, checkEveryMs = 60_000 }: TreeBuilderOptions): Promise<TreeBuilder> {
  const { checkpoint } = await log.position();
  const subscription = store.subscribeToAll({
    after: checkpoint,
    batchSize: 2_000,
    handle: async (events) => {
      await log.append(events);
    },
    onError,
  });
  const signDaily = () => heads.signIfOlderThan(DAY_MS).catch(onError);
  const timer = setInterval(signDaily, checkEveryMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await subscription.stop();
    },
  };
}
