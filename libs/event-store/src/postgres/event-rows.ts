import type { QueryConfig } from 'pg';
import { encodeCheckpoint } from '../checkpoint';
import type { ChainedEvent } from '../chain/chain';
import type { EventMetadata, ExpectedRevision, RecordedEvent } from '../event-store.port';

export const EVENT_COLUMNS = `global_position, transaction_id::text AS transaction_id, stream_id, revision, event_id,
  type, schema_version, occurred_at, recorded_at, data, metadata, prev_hash, hash`;

export interface EventRow {
  global_position: string;
  transaction_id: string;
  stream_id: string;
  revision: number;
  event_id: string;
  type: string;
  schema_version: number;
  occurred_at: string;
  recorded_at: Date;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  prev_hash: string;
  hash: string;
}

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    eventId: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    occurredAt: row.occurred_at,
    data: row.data,
    metadata: row.metadata,
    streamId: row.stream_id,
    revision: row.revision,
    globalPosition: Number(row.global_position),
    recordedAt: row.recorded_at.toISOString(),
    prevHash: row.prev_hash,
    hash: row.hash,
    checkpoint: encodeCheckpoint(row.transaction_id, row.global_position),
  };
}

export interface AppendRow {
  outcome: 'appended' | 'duplicate' | 'conflict' | 'wrong-revision' | 'head';
  revision: number | null;
  hash: string | null;
  global_position: string | null;
  transaction_id: string | null;
}

const EXPECTED_CODES = { 'no-stream': -1, any: -2 } as const;

/**
 * The call of `event_store.append`, prepared once per connection. `chained` is `null` when the
 * client does not know the stream's head: the function then checks idempotency and the expected
 * revision and answers with the head.
 */
export function appendCall(
  streamId: string,
  expected: ExpectedRevision,
  events: readonly {
    readonly eventId: string;
    readonly contentDigest: string;
  }[],
  chained: readonly (ChainedEvent & { readonly hash: string })[] | null,
): QueryConfig {
  const payload = chained
    ? chained.map((event, index) => ({
        revision: event.revision,
        event_id: event.eventId,
        type: event.type,
        schema_version: event.schemaVersion,
        occurred_at: event.occurredAt,
        recorded_at: event.recordedAt,
        data: event.data,
        metadata: event.metadata,
        content_digest: events[index].contentDigest,
        prev_hash: event.prevHash,
        hash: event.hash,
      }))
    : events.map((event) => ({
        event_id: event.eventId,
        content_digest: event.contentDigest,
      }));
  return {
    name: 'event_store_append',
    text: 'SELECT outcome, revision, hash, global_position, transaction_id FROM event_store.append($1, $2, $3, $4)',
    values: [
      streamId,
      typeof expected === 'number' ? expected : EXPECTED_CODES[expected],
      chained?.[0].prevHash ?? null,
      JSON.stringify(payload),
    ],
  };
}
