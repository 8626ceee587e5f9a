export { describeEventStoreConformance } from './event-store.conformance';
export type { EventStoreUnderTest } from './event-store.conformance';
export { newTestEvent, newTestStreamId } from './new-test-event';
