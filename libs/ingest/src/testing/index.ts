// The ingest's test harness, for the specs of the projects that mount modules into its app.
export { COUNTY, PASSWORD, SCHOOL_A, SCHOOL_B, startIngestTestApp } from './ingest-test-app';
export type { IngestTestApp } from './ingest-test-app';
export { carerRegistered, childEvent, childRegistered } from './events';
export { rosterCsv, rosterRows, rosterXlsx } from './roster-files';
