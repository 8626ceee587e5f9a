import type { Admin, Batch, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ConsumeOptions, Consumer, DeliveredMessage } from '../bus.port';
import type { HandlerErrorListener } from '../handler-errors';
import { retryDelayMs } from '../handler-errors';

// Below the session timeout by a wide margin, so a slow batch never costs the partitions.
const HEARTBEAT_DURING_BATCH_MS = 3_000;
// How long a member that vanished holds up its group's rebalance. When a broker dies, kafkajs's
// consumer can give up on it and rejoin as a new member, and the group then waits this long for the
// old one: kafkajs's default of 30 s stalled the projector for 34 s after a leader's kill -9 (the
// three-node fault test), 10 s keeps the stall near the election's own.
const SESSION_TIMEOUT_MS = 10_000;
// Batches of several partitions in hand at once, so the consumer's writes overlap each other.
const PARTITIONS_CONCURRENTLY = 6;
const MAX_BYTES_PER_PARTITION = 4 * 1024 * 1024;
// A partition's waiting batch takes fetched messages up to this many; then kafkajs waits for it to start.
const MAX_WAITING_MESSAGES = 10_000;
const EMPTY = Buffer.alloc(0);

/**
 * A kafkajs message as the port's `DeliveredMessage`, decoded on first read: a projector reads
 * the value of every message but the headers of one per batch, and the per-message copies showed
 * in its profile.
 */
class KafkaDeliveredMessage implements DeliveredMessage {
  private decodedHeaders: Record<string, string> | undefined;

  constructor(
    private readonly message: KafkaMessage,
    readonly partition: number,
  ) {}

  get key(): string {
    return this.message.key?.toString() ?? '';
  }

  get value(): Buffer {
    return this.message.value ?? EMPTY;
  }

  get offset(): string {
    return this.message.offset;
  }

  get headers(): Record<string, string> {
    this.decodedHeaders ??= Object.fromEntries(Object.entries(this.message.headers ?? {}).map(([name, value]) => [name, String(value)]));
    return this.decodedHeaders;
  }
}

/** The messages of `batch` from offset `next` on (offsets only grow within a batch). */
function deliveredFrom(batch: Batch, next: bigint): DeliveredMessage[] {
  const { messages, partition } = batch;
  let first = 0;
  while (first < messages.length && BigInt(messages[first].offset) < next) first += 1;
  const delivered: DeliveredMessage[] = new Array(messages.length - first);
  for (let i = first; i < messages.length; i++) delivered[i - first] = new KafkaDeliveredMessage(messages[i], partition);
  return delivered;
}

/** Messages accepted for a partition that wait for the batch being handled: they go to the handler together. */
interface Waiting {
  readonly messages: DeliveredMessage[];
  last: bigint;
  readonly epoch: number;
  /** Settles when the batch ahead is handled, and this one starts. */
  readonly ahead: Promise<void>;
}

/**
 * One partition's batches in hand: one being handled, and the messages fetched meanwhile, waiting
 * behind it as one batch. kafkajs fetches on while the consumer handles; its own loop would wait
 * for the handler before fetching again, and a consumer that writes each batch in one transaction
 * pays per batch: what arrives during a write goes in the next one, not in one each.
 */
interface Lane {
  /** Settles once every batch accepted so far is handled or dropped; never rejects. */
  tail: Promise<void>;
  /** Moves on each failure and each join: batches accepted under an older epoch are dropped. */
  epoch: number;
  /** The batch behind the one being handled, still taking messages; null once it is handled. */
  waiting: Waiting | null;
}

/**
 * One consumer group member. Where it reads from is the consumer's own durable store
 * (`resumeFrom`), not Kafka's committed offsets: Kafka's commit follows each handled batch, but a
 * crash between the consumer's write and that commit leaves Kafka behind, and a store restored
 * from a backup or rebuilt from scratch is behind or ahead of it. So every (re)join moves each
 * assigned partition to exactly `resumeFrom + 1` before anything of it is handled.
 */
export class KafkaBusConsumer implements Consumer {
  /** Next offset to accept per assigned partition, once positioned in this generation. */
  private readonly positions = new Map<number, bigint>();
  /** Per assigned partition: settles once it is positioned (or the generation is over). */
  private readonly positioning = new Map<number, Promise<void>>();
  private readonly failures = new Map<number, number>();
  /** Kept across generations, so a partition's batches never overlap, even through a rebalance. */
  private readonly lanes = new Map<number, Lane>();
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
      sessionTimeout: SESSION_TIMEOUT_MS,
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
      partitionsConsumedConcurrently: PARTITIONS_CONCURRENTLY,
      eachBatch: (payload) => member.onBatch(payload),
    });
    return member;
  }

  /** Resolves once no batch is being handled and none will be. */
  async stop(): Promise<void> {
    this.stopping.abort();
    // kafkajs lets the batch in hand finish, then leaves the group; batches waiting in a lane are dropped.
    await this.consumer.disconnect();
    await Promise.all([...this.lanes.values()].map((lane) => lane.tail));
  }

  private onJoin(partitions: readonly number[]): void {
    this.generation += 1;
    this.positions.clear();
    this.positioning.clear();
    this.failures.clear();
    for (const lane of this.lanes.values()) lane.epoch += 1;
    for (const partition of partitions) this.positioning.set(partition, this.position(partition, this.generation));
  }

  private lane(partition: number): Lane {
    let lane = this.lanes.get(partition);
    if (!lane) this.lanes.set(partition, (lane = { tail: Promise.resolve(), epoch: 0, waiting: null }));
    return lane;
  }

  /** Seeks `partition` to where the consumer's store resumes, retrying until it answers. */
  private async position(partition: number, generation: number): Promise<void> {
    // A batch of the previous generation may still be in hand: its write decides where to resume.
    await this.lane(partition).tail;
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

  /**
   * Accepts kafkajs's batch into the partition's lane, into the batch waiting there if there is
   * one, and returns at once, so kafkajs fetches the partition onward while the lane is handled;
   * only a full waiting batch holds kafkajs until it starts.
   */
  private async onBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const { partition } = batch;
    await this.positioning.get(partition);
    // A batch fetched before the partition was (re)positioned is stale: kafkajs fetches again from there.
    const next = this.positions.get(partition);
    if (!isRunning() || isStale() || next === undefined || this.stopping.signal.aborted) return;
    const messages = deliveredFrom(batch, next);
    const last = BigInt(batch.lastOffset());
    this.positions.set(partition, last + 1n);
    resolveOffset(last.toString());
    const waiting = this.accept(this.lane(partition), partition, messages, last);
    if (waiting.messages.length >= MAX_WAITING_MESSAGES) await this.withHeartbeats(heartbeat, () => waiting.ahead);
  }

  /** Adds `messages` to the lane's waiting batch, or makes them the waiting batch, handled after the one ahead. */
  private accept(lane: Lane, partition: number, messages: DeliveredMessage[], last: bigint): Waiting {
    const { epoch, waiting } = lane;
    if (waiting?.epoch === epoch) {
      for (const message of messages) waiting.messages.push(message);
      waiting.last = last;
      return waiting;
    }
    const ahead = lane.tail;
    const joined: Waiting = { messages, last, epoch, ahead };
    lane.waiting = joined;
    lane.tail = ahead.then(() => {
      if (lane.waiting === joined) lane.waiting = null;
      return this.handle(lane, epoch, partition, joined.messages, joined.last);
    });
    return joined;
  }

  /** Handles one accepted batch, unless a failure, a join or `stop` has dropped it meanwhile. Never rejects. */
  private async handle(lane: Lane, epoch: number, partition: number, messages: DeliveredMessage[], last: bigint): Promise<void> {
    const { topic, groupId } = this.options;
    if (lane.epoch !== epoch || this.stopping.signal.aborted) return;
    if (messages.length > 0) {
      try {
        await this.options.handleBatch({ topic, partition, messages });
      } catch (error) {
        const attempt = (this.failures.get(partition) ?? 0) + 1;
        this.failures.set(partition, attempt);
        this.onHandlerError(error, { topic, groupId, partition, attempt });
        // Drop what waits behind it and fetch again from the failed batch's first message (after
        // a join meanwhile, positioning from `resumeFrom` does that instead).
        if (lane.epoch === epoch) {
          lane.epoch += 1;
          this.positions.set(partition, BigInt(messages[0].offset));
          this.consumer.seek({ topic, partition, offset: messages[0].offset });
        }
        await sleep(retryDelayMs(attempt), undefined, { signal: this.stopping.signal }).catch(() => undefined);
        return;
      }
    }
    this.failures.delete(partition);
    // Advisory only (positions come from `resumeFrom`), so a commit refused mid-rebalance changes nothing.
    await this.consumer.commitOffsets([{ topic, partition, offset: (last + 1n).toString() }]).catch(() => undefined);
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
    // A failed heartbeat means the group is rebalancing; kafkajs's own heartbeat after the batch
    // fails the same way and rejoins, so the error needs no handling here.
    const timer = setInterval(() => void heartbeat().catch(() => undefined), HEARTBEAT_DURING_BATCH_MS);
    try {
      await work();
    } finally {
      clearInterval(timer);
    }
  }
}
