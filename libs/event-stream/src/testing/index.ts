// For tests and benches of the event stream (a county of synthetic events, row-by-row comparison).
export { syntheticCounty } from './synthetic-county';
export type { SyntheticCountyOptions, SyntheticStream } from './synthetic-county';
export { appendStreams } from './append-streams';
export { rowCounts, snapshotReadModels } from './read-model-snapshot';
export { appendSteadily, careActivity, killLeaderUnderLoad, startStreamUnderTest } from './stream-under-load';
export type { LeaderKillRun, SteadyLoad, StreamUnderTest, Visibility } from './stream-under-load';
