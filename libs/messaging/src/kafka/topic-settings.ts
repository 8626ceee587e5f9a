/** How a topic is to be replicated; unset settings follow the cluster's size (`topicSettingsFor`). */
export interface TopicSettings {
  readonly partitions: number;
  /** Copies of each partition, on as many brokers. Default: 3, or every broker of a smaller cluster. */
  readonly replicationFactor?: number;
  /**
   * Copies that must hold a write before the broker acknowledges it (the producer sends acks=all).
   * Default: 2 from 3 copies on (a write survives the loss of a broker, and one broker may be
   * down without stopping the stream), else 1.
   */
  readonly minInsyncReplicas?: number;
}

/** A topic as it is on the cluster, beside what it was configured to be. */
export interface TopicReport {
  readonly topic: string;
  /** Whether this call created it (else it existed). */
  readonly created: boolean;
  readonly brokers: number;
  readonly partitions: number;
  /** The fewest copies of any of its partitions. */
  readonly replicationFactor: number;
  readonly minInsyncReplicas: number;
  /** What an existing topic falls short of, one sentence each; empty when it is as configured. */
  readonly shortfalls: readonly string[];
}

/** The settings a topic gets on a cluster of `brokers` brokers; refuses settings the cluster cannot honour. */
export function topicSettingsFor(settings: TopicSettings, brokers: number): Required<TopicSettings> {
  const replicationFactor = settings.replicationFactor ?? Math.min(3, brokers);
  const minInsyncReplicas = settings.minInsyncReplicas ?? (replicationFactor >= 3 ? 2 : 1);
  if (replicationFactor > brokers) {
    throw new Error(`replicationFactor: ${replicationFactor} copies need as many brokers, the cluster has ${brokers}`);
  }
  if (minInsyncReplicas > replicationFactor) {
    throw new Error(`minInsyncReplicas: ${minInsyncReplicas} exceeds the replication factor ${replicationFactor}: no write could be acknowledged`);
  }
  return { partitions: settings.partitions, replicationFactor, minInsyncReplicas };
}

/** What an existing topic lacks against `wanted`: replication it cannot gain by itself, a weaker acknowledgement. */
export function topicShortfalls(
  topic: string,
  wanted: Required<TopicSettings>,
  actual: { replicationFactor: number; minInsyncReplicas: number },
): string[] {
  return [
    ...(actual.replicationFactor < wanted.replicationFactor
      ? [
          `topic ${topic} has ${actual.replicationFactor} cop${actual.replicationFactor === 1 ? 'y' : 'ies'} of a partition, configured ${wanted.replicationFactor}: ` +
            'losing a broker can lose acknowledged events or stop the stream (add replicas with kafka-reassign-partitions)',
        ]
      : []),
    ...(actual.minInsyncReplicas < wanted.minInsyncReplicas
      ? [
          `topic ${topic} has min.insync.replicas=${actual.minInsyncReplicas}, configured ${wanted.minInsyncReplicas}: ` +
            'a write is acknowledged before enough copies hold it (kafka-configs --alter --add-config min.insync.replicas=' +
            `${wanted.minInsyncReplicas})`,
        ]
      : []),
  ];
}
