import { Kafka, logLevel, Partitioners } from 'kafkajs';
import type { Admin, Producer } from 'kafkajs';
import type { Bus, BusMessage, ConsumeOptions, Consumer } from '../bus.port';
import type { HandlerErrorListener } from '../handler-errors';
import { reportToStderr } from '../handler-errors';
import { KafkaBusConsumer } from './kafka-bus-consumer';

export interface KafkaBusOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** kafkajs's own logging (connection trouble, rebalances, crashes); ERROR unless set. */
  readonly logLevel?: logLevel;
  readonly onHandlerError?: HandlerErrorListener;
}

/** The `Bus` on a Kafka cluster, through kafkajs. */
export class KafkaBus implements Bus {
  private readonly consumers = new Set<KafkaBusConsumer>();
  private closing: Promise<void> | undefined;
  private sending: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly kafka: Kafka,
    private readonly producer: Producer,
    private readonly admin: Admin,
    private readonly onHandlerError: HandlerErrorListener,
  ) {}

  static async connect(options: KafkaBusOptions): Promise<KafkaBus> {
    const kafka = new Kafka({ brokers: [...options.brokers], clientId: options.clientId, logLevel: options.logLevel ?? logLevel.ERROR });
    // Idempotent: the producer's own retries (unbounded, through broker restarts) never write a
    // message twice or out of order. One request in flight keeps kafkajs's sequence numbers simple.
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    const admin = kafka.admin();
    await producer.connect();
    await admin.connect();
    return new KafkaBus(kafka, producer, admin, options.onHandlerError ?? reportToStderr);
  }

  /**
   * Creates the topic unless it exists. An existing topic must have the same partition count:
   * more partitions would move keys to other partitions and break their order.
   */
  async createTopic(topic: string, { partitions }: { partitions: number }): Promise<void> {
    const created = await this.admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
    if (created) return;
    const [existing] = (await this.admin.fetchTopicMetadata({ topics: [topic] })).topics;
    if (existing?.partitions.length !== partitions) {
      throw new Error(`partitions: topic ${topic} exists with ${existing?.partitions.length} partitions, not ${partitions}`);
    }
  }

  /**
   * One send at a time on the producer. kafkajs hands a failed request's sequence numbers back
   * for its retry; a concurrent send that takes them instead, while the failed request was in fact
   * written (a broker going down before it answered), is refused for good as out of order.
   */
  async publish(topic: string, messages: readonly BusMessage[]): Promise<void> {
    this.assertOpen();
    if (messages.length === 0) return;
    const sent = this.sending.then(() =>
      this.producer.send({
        topic,
        acks: -1,
        messages: messages.map(({ key, value, headers }) => ({ key, value, headers: { ...headers } })),
      }),
    );
    this.sending = sent.catch(() => undefined);
    await sent;
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
