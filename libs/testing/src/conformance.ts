// The conformance suites every adapter's spec runs whole. They call jest's globals, so they have an
// entry point of their own: benches and the broker script import `@lbc/testing` outside jest.
export { describeEventStoreConformance } from './event-store/event-store.conformance';
export type { EventStoreUnderTest } from './event-store/event-store.conformance';
export { busConformance } from './bus/bus-conformance';
export type { BusConformanceOptions, BusUnderTest } from './bus/bus-conformance';
