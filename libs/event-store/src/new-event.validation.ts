import { InvalidEventError } from './event-store.errors';
import type { ExpectedRevision, NewEvent } from './event-store.port';

// Lowercase only: the id is hashed as sent and PostgreSQL prints uuids in lowercase.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireString(value: unknown, field: string, nullable = false): void {
  if (nullable && value === null) return;
  if (typeof value !== 'string' || value.length === 0)
    throw new InvalidEventError(field, nullable ? 'must be a non-empty string or null' : 'must be a non-empty string');
}

/**
 * Checks an append before anything is written, so that both adapters refuse the same input with
 * the same field name (a malformed id would otherwise surface as a database type error).
 */
export function validateAppend(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): void {
  requireString(streamId, 'streamId');
  if (expected !== 'any' && expected !== 'no-stream' && !(Number.isSafeInteger(expected) && expected >= 0)) {
    throw new InvalidEventError('expectedRevision', "must be a revision (integer ≥ 0), 'no-stream' or 'any'");
  }
  if (!Array.isArray(events) || events.length === 0) throw new InvalidEventError('events', 'must hold at least one event');
  const seen = new Set<string>();
  events.forEach((event, index) => {
    const at = (name: string) => `events[${index}].${name}`;
    if (!isPlainObject(event as unknown)) throw new InvalidEventError(`events[${index}]`, 'must be an object');
    if (typeof event.eventId !== 'string' || !UUID.test(event.eventId))
      throw new InvalidEventError(at('eventId'), 'must be a UUID in lowercase');
    if (seen.has(event.eventId)) throw new InvalidEventError(at('eventId'), 'appears twice in one append');
    seen.add(event.eventId);
    requireString(event.type, at('type'));
    if (!Number.isSafeInteger(event.schemaVersion) || event.schemaVersion < 1)
      throw new InvalidEventError(at('schemaVersion'), 'must be an integer ≥ 1');
    if (typeof event.occurredAt !== 'string' || !ISO_WITH_OFFSET.test(event.occurredAt) || Number.isNaN(Date.parse(event.occurredAt))) {
      throw new InvalidEventError(at('occurredAt'), 'must be an ISO-8601 date-time with an offset');
    }
    if (!isPlainObject(event.data)) throw new InvalidEventError(at('data'), 'must be an object');
    if (!isPlainObject(event.metadata)) throw new InvalidEventError(at('metadata'), 'must be an object');
    const { recordedBy, correlationId, schoolId, countyId, causationId } = event.metadata;
    requireString(recordedBy, at('metadata.recordedBy'));
    requireString(correlationId, at('metadata.correlationId'));
    requireString(schoolId, at('metadata.schoolId'), true);
    requireString(countyId, at('metadata.countyId'), true);
    requireString(causationId, at('metadata.causationId'), true);
  });
}
