export { createTestDatabase } from './test-database';
export type { TestDatabase } from './test-database';
export { expectEventually } from './expect-eventually';
export * from './event-store';
export * from './kafka';
export * from './bus';
export { spawnApp } from './app-process';
export type { AppProcess } from './app-process';
export { pdfText } from './pdf/pdf-text';
