import type { Checkpoint, EventStore } from '@lbc/event-store';
import { START } from '@lbc/event-store';
import type { Bus, Consumer } from '@lbc/messaging';
import type { DataSource } from 'typeorm';
import type { StreamLogger } from '../lag';
import { countEventsAfter } from '../lag';
import { applyBatch, latestAppliedCheckpoint, storedOffset } from './apply-batch';

export interface ProjectorOptions {
  readonly bus: Bus;
  /** The live read-model schema (`openReadModels`), already migrated. */
  readonly readModels: DataSource;
  readonly topic: string;
  readonly groupId: string;
  /** Read only to count the lag. */
  readonly store: EventStore;
  readonly logger: StreamLogger;
}

export interface Projector {
  /**
   * Events in the store after the latest one applied, up to `LAG_COUNT_LIMIT`. Partitions are
   * consumed together, so one lagging partition shows only once the others have caught up.
   */
  lag(): Promise<number>;
  stop(): Promise<void>;
}

/** Consumes the relay's topic into the read models; offsets live with the read models. */
export async function startProjector(options: ProjectorOptions): Promise<Projector> {
  const { readModels, topic } = options;
  let latest = ((await latestAppliedCheckpoint(readModels, topic)) ?? START) as Checkpoint;
  const consumer: Consumer = await options.bus.consume({
    topic,
    groupId: options.groupId,
    resumeFrom: (partition) => storedOffset(readModels, topic, partition),
    handleBatch: async (batch) => {
      try {
        const applied = await applyBatch(readModels, batch);
        if (applied.checkpoint && applied.checkpoint > latest) latest = applied.checkpoint as Checkpoint;
      } catch (error) {
        options.logger.error({ err: error, partition: batch.partition, firstOffset: batch.messages[0]?.offset }, 'projector: batch failed');
        throw error;
      }
    },
  });
  options.logger.info({ topic, groupId: options.groupId }, 'projector: started');
  return {
    lag: () => countEventsAfter(options.store, latest),
    stop: () => consumer.stop(),
  };
}
