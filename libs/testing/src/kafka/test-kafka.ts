import { randomUUID } from 'node:crypto';

/** The run's broker addresses, from the Kafka globalSetup (or KAFKA_BROKERS). */
export function testKafkaBrokers(): string[] {
  const brokers = process.env.TEST_KAFKA_BROKERS;
  if (!brokers) throw new Error('TEST_KAFKA_BROKERS is not set: add libs/testing kafka.global-setup to jest.config.js');
  return brokers.split(',');
}

/** A name no other test uses, for topics and consumer groups on the shared broker. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}
