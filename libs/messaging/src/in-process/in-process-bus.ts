import type { Bus, BusMessage, ConsumeOptions, Consumer } from '../bus.port';
import type { HandlerErrorListener } from '../handler-errors';
import { reportToStderr } from '../handler-errors';
import { partitionOfKey } from './key-partition';
import { PartitionLog } from './partition-log';
import { PartitionReader } from './partition-reader';
import { nextPublishOffset } from './publish-offsets';

export interface InProcessBusOptions {
  /** Partitions per topic. Keep it fixed: consumers' stored offsets are per partition. */
  readonly partitions: number;
  /**
   * Messages each partition keeps once every group has applied them, for groups that start
   * later (default 10,000); older ones are discarded.
   */
  readonly retainPerPartition?: number;
  readonly onHandlerError?: HandlerErrorListener;
}

const DEFAULT_RETAIN = 10_000;

interface Topic {
  readonly partitions: PartitionLog[];
  /** Per consumer group, one reader per partition. */
  readonly groups: Map<string, PartitionReader[]>;
}

/**
 * The `Bus` inside one process, for the embedded platform. Nothing is durable here, which is safe
 * because `publish` resolves only once every consumer group on the topic has applied the
 * messages: a relay moves its checkpoint after `publish`, so a crash can only make it publish
 * again, never skip. The newest messages stay for groups that start consuming later (see
 * `retainPerPartition`).
 */
export class InProcessBus implements Bus {
  private readonly topics = new Map<string, Topic>();
  private readonly onHandlerError: HandlerErrorListener;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: InProcessBusOptions) {
    if (!Number.isInteger(options.partitions) || options.partitions < 1) {
      throw new Error(`partitions: must be a positive integer, got ${options.partitions}`);
    }
    this.onHandlerError = options.onHandlerError ?? reportToStderr;
  }

  async publish(topicName: string, messages: readonly BusMessage[]): Promise<void> {
    this.assertOpen();
    const topic = this.topic(topicName);
    const lastOffsets = new Map<number, bigint>();
    for (const message of messages) {
      const partition = partitionOfKey(message.key, this.options.partitions);
      const offset = nextPublishOffset();
      topic.partitions[partition].append({ ...message, partition, offset: offset.toString() });
      lastOffsets.set(partition, offset);
    }
    await Promise.all(
      [...topic.groups.values()].flatMap((readers) =>
        [...lastOffsets].map(([partition, offset]) => readers[partition].handleThrough(offset)),
      ),
    );
    this.trim(topic, [...lastOffsets.keys()]);
  }

  private trim(topic: Topic, partitions: readonly number[]): void {
    const groups = [...topic.groups.values()];
    // With no group yet, everything waits for the first one.
    if (groups.length === 0) return;
    for (const partition of partitions) {
      const appliedByAll = groups.map((readers) => readers[partition].applied).reduce((least, applied) => (applied < least ? applied : least));
      topic.partitions[partition].trim(this.options.retainPerPartition ?? DEFAULT_RETAIN, appliedByAll);
    }
  }

  async consume(options: ConsumeOptions): Promise<Consumer> {
    this.assertOpen();
    const topic = this.topic(options.topic);
    if (topic.groups.has(options.groupId)) {
      throw new Error(`groupId: ${options.groupId} already consumes ${options.topic} on this bus`);
    }
    const readers = topic.partitions.map((log, partition) => new PartitionReader(log, partition, options, this.onHandlerError));
    topic.groups.set(options.groupId, readers);
    let stopping: Promise<void> | undefined;
    return {
      stop: () => {
        stopping ??= (async () => {
          topic.groups.delete(options.groupId);
          await Promise.all(readers.map((reader) => reader.stop()));
        })();
        return stopping;
      },
    };
  }

  close(): Promise<void> {
    this.closing ??= Promise.all(
      [...this.topics.values()].flatMap((topic) => [...topic.groups.values()].flat().map((reader) => reader.stop())),
    ).then(() => this.topics.clear());
    return this.closing;
  }

  private topic(name: string): Topic {
    let topic = this.topics.get(name);
    if (!topic) {
      topic = { partitions: Array.from({ length: this.options.partitions }, () => new PartitionLog()), groups: new Map() };
      this.topics.set(name, topic);
    }
    return topic;
  }

  private assertOpen(): void {
    if (this.closing) throw new Error('The in-process bus is closed');
  }
}
