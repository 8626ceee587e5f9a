export { generateCounty } from './generate-county';
export type { GeneratedEvent } from './generate-county';
export type { CountyOptions, NamedSchool } from './county-options';
export { historyEndFrom, historyStart } from './calendar';
export { ndjsonLines } from './ndjson';
export { countyOptionsOf } from './county-arguments';
