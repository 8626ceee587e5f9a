import type { EventStore } from './event-store.port';
import { createEventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store';
import { createPostgresEventStore } from './postgres/postgres-event-store';

export interface EventStoreLocation {
  /** Set: EventStoreDB at this connection string. */
  readonly eventStoreUrl?: string;
  /** Otherwise the PostgreSQL event store in this database. */
  readonly databaseUrl: string;
  readonly poolSize?: number;
}

/** The adapter the configuration names; every app opens its store through here. */
export async function openEventStore(location: EventStoreLocation): Promise<EventStore> {
  return location.eventStoreUrl
    ? createEventStoreDbEventStore({ url: location.eventStoreUrl })
    : createPostgresEventStore({ url: location.databaseUrl, poolSize: location.poolSize });
}
