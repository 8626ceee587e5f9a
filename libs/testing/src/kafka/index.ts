export { fetchKafkaJars, startKafkaBroker } from './kafka-broker';
export type { KafkaBroker, KafkaBrokerOptions } from './kafka-broker';
export { measureRawConsumeRate } from './raw-consume-rate';
export type { RawConsumeRate } from './raw-consume-rate';
export { testKafkaBrokers, uniqueName } from './test-kafka';
