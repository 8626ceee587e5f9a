export { createTestDatabase } from './test-database';
export type { TestDatabase } from './test-database';
export { expectEventually } from './expect-eventually';
export * from './kafka';
export { newTestEvent, newTestStreamId } from './event-store/new-test-event';
export { spawnApp } from './app-process';
export type { AppProcess, SpawnOptions } from './app-process';
export { pdfText } from './pdf/pdf-text';
