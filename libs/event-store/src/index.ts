export * from './event-store.port';
export * from './event-store.errors';
export { GENESIS_HASH, contentDigest, eventHash, verifyChain } from './chain/chain';
export type { ChainedEvent, ChainVerdict } from './chain/chain';
export { createPostgresEventStore, PostgresEventStore } from './postgres/postgres-event-store';
export type { PostgresEventStoreOptions } from './postgres/postgres-event-store';
export { eventStoreMigrations, migratePostgresEventStore } from './postgres/event-store.migrations';
export { createEventStoreDbEventStore, EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store';
export type { EventStoreDbEventStoreOptions } from './eventstoredb/eventstoredb-event-store';
