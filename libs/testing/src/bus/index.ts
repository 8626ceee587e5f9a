export { busConformance } from './bus-conformance';
export type { BusConformanceOptions, BusUnderTest } from './bus-conformance';
