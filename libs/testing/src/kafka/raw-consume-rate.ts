import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';

export interface RawConsumeRate {
  readonly messages: number;
  readonly seconds: number;
  readonly perSecond: number;
}

/**
 * How fast kafkajs alone reads `messages` messages of `topic` from the beginning, doing nothing
 * with them (`eachBatch`): the ceiling any consumer of ours can reach on this machine. The clock
 * starts once the consumer has joined its group, so joining does not count; fetching does.
 */
export async function measureRawConsumeRate(options: {
  brokers: string[];
  topic: string;
  messages: number;
  timeoutMs?: number;
}): Promise<RawConsumeRate> {
  const consumer = new Kafka({ brokers: options.brokers, clientId: 'raw-consume-rate', logLevel: logLevel.ERROR }).consumer({
    groupId: `raw-consume-rate-${randomUUID()}`,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: options.topic, fromBeginning: true });
    let seen = 0;
    let startedAt: bigint | undefined;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      startedAt ??= process.hrtime.bigint();
    });
    const done = new Promise<bigint>((finish, fail) => {
      const timer = setTimeout(
        () => fail(new Error(`measureRawConsumeRate: ${seen} of ${options.messages} messages of ${options.topic} in ${options.timeoutMs ?? 120_000} ms`)),
        options.timeoutMs ?? 120_000,
      );
      void consumer
        .run({
          autoCommit: false,
          eachBatchAutoResolve: true,
          eachBatch: async ({ batch }) => {
            seen += batch.messages.length;
            if (seen >= options.messages) {
              clearTimeout(timer);
              finish(process.hrtime.bigint());
            }
          },
        })
        .catch(fail);
    });
    const endedAt = await done;
    const seconds = Number(endedAt - (startedAt ?? endedAt)) / 1e9;
    return { messages: seen, seconds, perSecond: seconds > 0 ? seen / seconds : Infinity };
  } finally {
    await consumer.disconnect();
  }
}
