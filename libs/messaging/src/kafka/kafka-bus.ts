import { ConfigResourceTypes, Kafka, logLevel, Partitioners } from 'kafkajs';
import type { Admin, ITopicMetadata, Producer, RecordMetadata } from 'kafkajs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Bus, BusMessage, ConsumeOptions, Consumer } from '../bus.port';
import type { HandlerErrorListener } from '../handler-errors';
import { reportToStderr } from '../handler-errors';
import { KafkaBusConsumer } from './kafka-bus-consumer';
import type { TopicReport, TopicSettings } from './topic-settings';
import { topicSettingsFor, topicShortfalls } from './topic-settings';

export interface KafkaBusOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** kafkajs's own logging (connection trouble, rebalances, crashes); ERROR unless set. */
  readonly logLevel?: logLevel;
  readonly onHandlerError?: HandlerErrorListener;
}

// 100 ms, 200 ms, … : 4.5 s in all, for a cluster's brokers to learn of a topic just created.
const TOPIC_METADATA_ATTEMPTS = 10;

// The brokers no longer accept the producer's sequence numbers: only a new producer id sends again.
const SEQUENCE_LOST = new Set(['OUT_OF_ORDER_SEQUENCE_NUMBER', 'DUPLICATE_SEQUENCE_NUMBER', 'UNKNOWN_PRODUCER_ID', 'INVALID_PRODUCER_EPOCH']);

/** The broker's error types (`NOT_ENOUGH_REPLICAS`, …) in a kafkajs error: retries and aggregates wrap them. */
export function kafkaErrorTypes(error: unknown): string[] {
  if (typeof error !== 'object' || error === null) return [];
  const { type, cause, errors } = error as { type?: unknown; cause?: unknown; errors?: unknown };
  return [
    ...(typeof type === 'string' ? [type] : []),
    ...kafkaErrorTypes(cause),
    ...(Array.isArray(errors) ? errors.flatMap(kafkaErrorTypes) : []),
  ];
}

/**
 * Idempotent: the producer's own retries (through broker restarts) never write a message twice or
 * out of order. One request in flight keeps kafkajs's sequence numbers simple.
 */
function newProducer(kafka: Kafka): Producer {
  return kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
}

const partitioner = Partitioners.DefaultPartitioner();

/** Each key's partition as kafkajs's default partitioner gives it (murmur2 of the key, as Kafka's Java client does). */
function keyPartitioner(topic: string, partitions: number): (key: string) => number {
  const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({ partitionErrorCode: 0, partitionId, leader: 0, replicas: [], isr: [] }));
  return (key) => partitioner({ topic, partitionMetadata, message: { key, value: null } });
}

/** The `Bus` on a Kafka cluster, through kafkajs. */
export class KafkaBus implements Bus {
  private readonly consumers = new Set<KafkaBusConsumer>();
  private closing: Promise<void> | undefined;
  private sending: Promise<unknown> = Promise.resolve();
  /** Set when the brokers refused the producer's sequence: the next send starts a new producer. */
  private producerFenced = false;
  private readonly partitionCounts = new Map<string, number>();

  private constructor(
    private readonly kafka: Kafka,
    private producer: Producer,
    private readonly admin: Admin,
    private readonly onHandlerError: HandlerErrorListener,
  ) {}

  static async connect(options: KafkaBusOptions): Promise<KafkaBus> {
    const kafka = new Kafka({ brokers: [...options.brokers], clientId: options.clientId, logLevel: options.logLevel ?? logLevel.ERROR });
    const producer = newProducer(kafka);
    const admin = kafka.admin();
    await producer.connect();
    await admin.connect();
    return new KafkaBus(kafka, producer, admin, options.onHandlerError ?? reportToStderr);
  }

  /**
   * Creates the topic unless it exists, with its replication chosen here rather than inherited
   * from the brokers' defaults (`topicSettingsFor`). An existing topic must have the same
   * partition count: more partitions would move keys to other partitions and break their order.
   * Weaker replication of an existing topic cannot be mended from here: the report lists it, for
   * the caller to say so loudly.
   */
  async createTopic(topic: string, settings: TopicSettings): Promise<TopicReport> {
    const { brokers } = await this.admin.describeCluster();
    const wanted = topicSettingsFor(settings, brokers.length);
    const created = await this.admin.createTopics({
      topics: [
        {
          topic,
          numPartitions: wanted.partitions,
          replicationFactor: wanted.replicationFactor,
          configEntries: [{ name: 'min.insync.replicas', value: String(wanted.minInsyncReplicas) }],
        },
      ],
      waitForLeaders: true,
    });
    const existing = await this.topicMetadata(topic);
    if (existing?.partitions.length !== wanted.partitions) {
      throw new Error(`partitions: topic ${topic} exists with ${existing?.partitions.length} partitions, not ${wanted.partitions}`);
    }
    const { resources } = await this.admin.describeConfigs({
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['min.insync.replicas'] }],
      includeSynonyms: false,
    });
    const actual = {
      replicationFactor: Math.min(...existing.partitions.map((partition) => partition.replicas.length)),
      minInsyncReplicas: Number(resources[0]?.configEntries.find((entry) => entry.configName === 'min.insync.replicas')?.configValue ?? 1),
    };
    return { topic, created, brokers: brokers.length, partitions: wanted.partitions, ...actual, shortfalls: topicShortfalls(topic, wanted, actual) };
  }

  /**
   * A new topic's metadata reaches each broker of a cluster a moment after its creation was
   * acknowledged, and kafkajs asks any of them: one that has not heard of it yet is asked again.
   */
  private async topicMetadata(topic: string): Promise<ITopicMetadata> {
    for (let attempt = 1; ; attempt++) {
      try {
        const [metadata] = (await this.admin.fetchTopicMetadata({ topics: [topic] })).topics;
        return metadata;
      } catch (error) {
        if ((error as { type?: string }).type !== 'UNKNOWN_TOPIC_OR_PARTITION' || attempt === TOPIC_METADATA_ATTEMPTS) throw error;
        await sleep(100 * attempt);
      }
    }
  }

  /**
   * One send at a time on the producer. kafkajs hands a failed request's sequence numbers back
   * for its retry; a concurrent send that takes them instead, while the failed request was in fact
   * written (a broker going down before it answered), is refused for good as out of order.
   *
   * kafkajs 2.2.4 retries a failed send only to the brokers that have not answered yet, by broker:
   * when a dead leader's partitions move to a broker that already acknowledged its own part, their
   * messages are never sent again, and the send resolves as if they had been (events lost on every
   * leader kill of the three-node fault test). So the messages are partitioned here, as kafkajs
   * would, and a send that comes back without one of their partitions fails: the caller sends the
   * batch again whole, its acknowledged part twice.
   *
   * A partition leader that dies with a request in flight leaves kafkajs's sequence numbers out of
   * step with what its successor holds, whether the request was written or not, and kafkajs never
   * recovers: every later send is refused as out of order (seen on the three-node fault test).
   * Kafka's own producer starts a new producer id then; so does this one, on the next send. The
   * batch sent again under the new id may be written twice — at least once, as the port says; the
   * consumers' offsets and event ids make that harmless.
   */
  async publish(topic: string, messages: readonly BusMessage[]): Promise<void> {
    this.assertOpen();
    if (messages.length === 0) return;
    const sent = this.sending.then(async () => {
      if (this.producerFenced) await this.renewProducer();
      const partitionOf = keyPartitioner(topic, await this.partitionCount(topic));
      const records = messages.map(({ key, value, headers }) => ({ key, value, headers: { ...headers }, partition: partitionOf(key) }));
      let acknowledged: RecordMetadata[];
      try {
        acknowledged = await this.producer.send({ topic, acks: -1, messages: records });
      } catch (error) {
        if (kafkaErrorTypes(error).some((type) => SEQUENCE_LOST.has(type))) this.producerFenced = true;
        throw error;
      }
      const answered = new Set(acknowledged.map((record) => record.partition));
      const dropped = [...new Set(records.map((record) => record.partition))].filter((partition) => !answered.has(partition));
      if (dropped.length > 0) throw new Error(`kafka: ${topic} partitions ${dropped.join(', ')} were not acknowledged (a leader moved mid-send)`);
    });
    this.sending = sent.catch(() => undefined);
    await sent;
  }

  /** Fixed once a topic exists (`createTopic` refuses another count), so asked once. */
  private async partitionCount(topic: string): Promise<number> {
    let count = this.partitionCounts.get(topic);
    if (count === undefined) {
      count = (await this.topicMetadata(topic)).partitions.length;
      this.partitionCounts.set(topic, count);
    }
    return count;
  }

  private async renewProducer(): Promise<void> {
    await this.producer.disconnect().catch(() => undefined);
    this.producer = newProducer(this.kafka);
    await this.producer.connect();
    this.producerFenced = false;
  }

  async consume(options: ConsumeOptions): Promise<Consumer> {
    this.assertOpen();
    const consumer = await KafkaBusConsumer.start(this.kafka, this.admin, options, this.onHandlerError);
    this.consumers.add(consumer);
    return {
      stop: async () => {
        this.consumers.delete(consumer);
        await consumer.stop();
      },
    };
  }

  /** Resolves once a broker has answered a metadata request (a health check's round trip). */
  async ping(): Promise<void> {
    await this.admin.describeCluster();
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([...this.consumers].map((consumer) => consumer.stop()));
      this.consumers.clear();
      await this.producer.disconnect();
      await this.admin.disconnect();
    })();
    return this.closing;
  }

  private assertOpen(): void {
    if (this.closing) throw new Error('The Kafka bus is closed');
  }
}
