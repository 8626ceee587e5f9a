import type { KafkaBroker } from './kafka/kafka-broker';

export default async function teardown(): Promise<void> {
  await ((globalThis as Record<string, unknown>).__lbcKafka as KafkaBroker | undefined)?.stop();
}
