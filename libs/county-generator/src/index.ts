export { generateCounty } from './generate-county';
export type { GeneratedEvent } from './generate-county';
export type { CountyOptions } from './county-options';
export { ndjsonLines } from './ndjson';
export { countyOptionsOf } from './county-arguments';
