// Jest runs globalSetup outside its module registry: relative imports only.
import { startKafkaBroker } from './kafka/kafka-broker';

/**
 * Jest globalSetup: one real Kafka broker for the whole run of a project's tests, unless
 * KAFKA_BROKERS names an external cluster. Test files keep apart by using topics and consumer
 * groups of their own.
 */
export default async function setup(): Promise<void> {
  if (process.env.KAFKA_BROKERS) {
    process.env.TEST_KAFKA_BROKERS = process.env.KAFKA_BROKERS;
    return;
  }
  const broker = await startKafkaBroker();
  process.env.TEST_KAFKA_BROKERS = broker.brokers.join(',');
  (globalThis as Record<string, unknown>).__lbcKafka = broker;
}
