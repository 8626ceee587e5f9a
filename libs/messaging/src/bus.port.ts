/**
 * The bus port between relay and projector. Adapters: Kafka (`kafka/`, kafkajs) and in-process
 * (`in-process/`, the embedded default). Both: ordered per key, at-least-once, resumable.
 */

export interface BusMessage {
  /** Partitioning key: messages with one key keep their order (the subject id). */
  readonly key: string;
  readonly value: Buffer;
  readonly headers: Readonly<Record<string, string>>;
}

export interface DeliveredMessage extends BusMessage {
  readonly partition: number;
  /** Position in the partition, as a decimal string (Kafka offsets exceed 2^53 in theory). */
  readonly offset: string;
}

export interface DeliveredBatch {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly DeliveredMessage[];
}

export interface ConsumeOptions {
  readonly topic: string;
  readonly groupId: string;
  /**
   * Where to resume a partition when it is assigned: the last offset the consumer has durably
   * applied (it receives the messages after it), or null to start at the partition's beginning.
   * Consumers that store offsets with their own writes answer from there.
   */
  readonly resumeFrom: (partition: number) => Promise<string | null>;
  /**
   * Applies one batch. The adapter hands a partition's next batch only after this one resolved
   * (it may fetch it meanwhile), and commits only then; a rejection brings the same batch again.
   */
  readonly handleBatch: (batch: DeliveredBatch) => Promise<void>;
}

export interface Consumer {
  stop(): Promise<void>;
}

export interface Bus {
  /** Resolves once the bus has durably acknowledged every message (Kafka: acks=all, idempotent producer). */
  publish(topic: string, messages: readonly BusMessage[]): Promise<void>;
  consume(options: ConsumeOptions): Promise<Consumer>;
  close(): Promise<void>;
}
