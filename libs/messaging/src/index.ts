export * from './bus.port';
export type { HandlerErrorListener, HandlerFailure } from './handler-errors';
export { KafkaBus, kafkaErrorTypes } from './kafka/kafka-bus';
export type { KafkaBusOptions } from './kafka/kafka-bus';
export type { TopicReport, TopicSettings } from './kafka/topic-settings';
export { InProcessBus } from './in-process/in-process-bus';
export type { InProcessBusOptions } from './in-process/in-process-bus';
