export { startKafkaBroker } from './kafka-broker';
export type { KafkaBroker, KafkaBrokerOptions } from './kafka-broker';
export { startKafkaCluster } from './kafka-cluster';
export type { KafkaCluster, KafkaClusterOptions } from './kafka-cluster';
export { fetchKafkaJars } from './kafka-node';
export { measureRawConsumeRate } from './raw-consume-rate';
export type { RawConsumeRate } from './raw-consume-rate';
export { testKafkaBrokers, uniqueName } from './test-kafka';
