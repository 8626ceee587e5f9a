import type { Admin, Batch, EachBatchPayload, Kafka } from 'kafkajs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ConsumeOptions, Consumer, DeliveredMessage } from '../bus.port';
import type { HandlerErrorListener } from '../handler-errors';
import { retryDelayMs } from '../handler-errors';

// Below kafkajs's default session timeout (30 s) by a wide margin, so a slow batch never costs the partitions.
const HEARTBEAT_DURING_BATCH_MS = 3_000;
// Batches of several partitions in hand at once, so the consumer's writes overlap each other and the fetches.
const PARTITIONS_CONCURRENTLY = 6;
const MAX_BYTES_PER_PARTITION = 4 * 1024 * 1024;

function delivered(batch: Batch): DeliveredMessage[] {
  return batch.messages.map((message) => ({
    key: message.key?.toString() ?? '',
    value: message.value ?? Buffer.alloc(0),
    headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)])),
    partition: batch.partition,
    offset: message.offset,
  }));
}

/**
 * One consumer group member. Where it reads from is the consumer's own durable store
 * (`resumeFrom`), not Kafka's committed offsets: Kafka's commit follows each handled batch, but a
 * crash between the consumer's write and that commit leaves Kafka behind, and a store restored
 * from a backup or rebuilt from scratch is behind or ahead of it. So every (re)join moves each
 * assigned partition to exactly `resumeFrom + 1` before anything of it is handled.
 */
export class KafkaBusConsumer implements Consumer {
  /** Next offset to hand to `handleBatch` per assigned partition, once positioned in this generation. */
  private readonly positions = new Map<number, bigint>();
  /** Per assigned partition: settles once it is positioned (or the generation is over). */
  private readonly positioning = new Map<number, Promise<void>>();
  private readonly failures = new Map<number, number>();
  private generation = 0;
  private readonly stopping = new AbortController();

  private constructor(
    private readonly consumer: ReturnType<Kafka['consumer']>,
    private readonly admin: Admin,
    private readonly options: ConsumeOptions,
    private readonly onHandlerError: HandlerErrorListener,
  ) {}

  static async start(kafka: Kafka, admin: Admin, options: ConsumeOptions, onHandlerError: HandlerErrorListener): Promise<KafkaBusConsumer> {
    // Larger fetches than kafkajs's 1 MiB per partition: a consumer that writes each batch in one
    // transaction pays per batch, not per message.
    const consumer = kafka.consumer({
      groupId: options.groupId,
      maxWaitTimeInMs: 250,
      heartbeatInterval: 1_000,
      maxBytesPerPartition: MAX_BYTES_PER_PARTITION,
      maxBytes: MAX_BYTES_PER_PARTITION * PARTITIONS_CONCURRENTLY,
    });
    const member = new KafkaBusConsumer(consumer, admin, options, onHandlerError);
    // kafkajs emits this synchronously after each join and before fetching, so every assigned
    // partition has its positioning under way before a batch of it can arrive.
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => member.onJoin(payload.memberAssignment[options.topic] ?? []));
    await consumer.connect();
    await consumer.subscribe({ topic: options.topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      // Each partition's batches still come one after another, in order (as on the in-process bus).
      partitionsConsumedConcurrently: PARTITIONS_CONCURRENTLY,
      eachBatch: (payload) => member.onBatch(payload),
    });
    return member;
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    // kafkajs lets the batch in hand finish, then leaves the group.
    await this.consumer.disconnect();
  }

  private onJoin(partitions: readonly number[]): void {
    this.generation += 1;
    this.positions.clear();
    this.positioning.clear();
    this.failures.clear();
    for (const partition of partitions) this.positioning.set(partition, this.position(partition, this.generation));
  }

  /** Seeks `partition` to where the consumer's store resumes, retrying until it answers. */
  private async position(partition: number, generation: number): Promise<void> {
    for (let attempt = 1; !this.stopping.signal.aborted && generation === this.generation; attempt += 1) {
      try {
        const next = await this.startingOffset(partition);
        if (generation !== this.generation) return;
        this.positions.set(partition, next);
        this.consumer.seek({ topic: this.options.topic, partition, offset: next.toString() });
        return;
      } catch (error) {
        this.onHandlerError(error, { topic: this.options.topic, groupId: this.options.groupId, partition, attempt });
        await sleep(retryDelayMs(attempt), undefined, { signal: this.stopping.signal }).catch(() => undefined);
      }
    }
  }

  private async onBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const { topic, partition } = batch;
    await this.positioning.get(partition);
    // A batch fetched before the partition was positioned is stale: kafkajs fetches again from there.
    const next = this.positions.get(partition);
    if (!isRunning() || isStale() || next === undefined) return;
    const messages = delivered(batch).filter((message) => BigInt(message.offset) >= next);
    if (messages.length > 0) {
      try {
        await this.withHeartbeats(heartbeat, () => this.options.handleBatch({ topic, partition, messages }));
      } catch (error) {
        const attempt = (this.failures.get(partition) ?? 0) + 1;
        this.failures.set(partition, attempt);
        this.onHandlerError(error, { topic, groupId: this.options.groupId, partition, attempt });
        this.consumer.seek({ topic, partition, offset: messages[0].offset });
        await sleep(retryDelayMs(attempt), undefined, { signal: this.stopping.signal }).catch(() => undefined);
        return;
      }
    }
    this.failures.delete(partition);
    const last = BigInt(batch.lastOffset());
    this.positions.set(partition, last + 1n);
    resolveOffset(last.toString());
    await this.consumer.commitOffsets([{ topic, partition, offset: (last + 1n).toString() }]);
  }

  private async startingOffset(partition: number): Promise<bigint> {
    const stored = await this.options.resumeFrom(partition);
    if (stored !== null) return BigInt(stored) + 1n;
    const offsets = await this.admin.fetchTopicOffsets(this.options.topic);
    const low = offsets.find((offset) => offset.partition === partition)?.low;
    if (low === undefined) throw new Error(`${this.options.topic} has no partition ${partition}`);
    return BigInt(low);
  }

  private async withHeartbeats(heartbeat: () => Promise<void>, work: () => Promise<void>): Promise<void> {
    // A failed heartbeat means the group is rebalancing; the commit after the batch then fails
    // and kafkajs rejoins, so the error needs no handling here.
    const timer = setInterval(() => void heartbeat().catch(() => undefined), HEARTBEAT_DURING_BATCH_MS);
    try {
      await work();
    } finally {
      clearInterval(timer);
    }
  }
}
