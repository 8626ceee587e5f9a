import type { AppendExpectedRevision, EventData, JSONType, ReadPosition, RecordedEvent as StoredEvent } from '@eventstore/db-client';
import { jsonEvent, NO_STREAM } from '@eventstore/db-client';
import type { ChainedEvent, StreamHead } from '../chain/chain';
import { contentDigest, GENESIS_HASH } from '../chain/chain';
import { decodeCheckpoint, encodeCheckpoint } from '../checkpoint';
import type { Checkpoint, EventMetadata, ExpectedRevision, RecordedEvent } from '../event-store.port';

/** Our envelope fields that EventStoreDB has no place for travel in its event metadata. */
interface StoredMetadata {
  readonly schemaVersion: number;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly prevHash: string;
  readonly hash: string;
  readonly metadata: EventMetadata;
}

export function toEventData(event: ChainedEvent & { readonly hash: string }): EventData {
  const metadata: StoredMetadata = {
    schemaVersion: event.schemaVersion,
    occurredAt: event.occurredAt,
    recordedAt: event.recordedAt,
    prevHash: event.prevHash,
    hash: event.hash,
    metadata: event.metadata,
  };
  return jsonEvent({
    id: event.eventId,
    type: event.type,
    data: event.data as JSONType,
    metadata: metadata as unknown as JSONType,
  });
}

/** `null` for what is not ours: system events, links, binary events. */
export function fromStoredEvent(stored: StoredEvent | undefined): RecordedEvent | null {
  if (!stored || !stored.isJson || stored.streamId.startsWith('$') || !stored.position) return null;
  const { schemaVersion, occurredAt, recordedAt, prevHash, hash, metadata } = stored.metadata as unknown as StoredMetadata;
  return {
    eventId: stored.id,
    type: stored.type,
    schemaVersion,
    occurredAt,
    data: stored.data as Record<string, unknown>,
    metadata,
    streamId: stored.streamId,
    revision: Number(stored.revision),
    globalPosition: Number(stored.position.commit),
    recordedAt,
    prevHash,
    hash,
    checkpoint: encodeCheckpoint(stored.position.commit, stored.position.prepare),
  };
}

export function toReadPosition(after: Checkpoint): ReadPosition {
  const position = decodeCheckpoint(after);
  return position ? { commit: position.major, prepare: position.minor } : 'start';
}

export function toExpectedRevision(head: StreamHead): AppendExpectedRevision {
  return head.revision < 0 ? NO_STREAM : BigInt(head.revision);
}

export type AppendDecision =
  | { readonly kind: 'duplicate'; readonly events: RecordedEvent[] }
  | { readonly kind: 'conflict'; readonly eventId: string }
  | { readonly kind: 'wrong-revision'; readonly actual: number | null }
  | { readonly kind: 'append'; readonly head: StreamHead };

/**
 * What the PostgreSQL append function decides in SQL, decided here over the stream as read:
 * EventStoreDB's own idempotency only covers a retry with the same expected revision.
 */
export function decideAppend(
  stored: readonly RecordedEvent[],
  incoming: readonly {
    readonly eventId: string;
    readonly contentDigest: string;
  }[],
  expected: ExpectedRevision,
): AppendDecision {
  const byId = new Map(stored.map((event) => [event.eventId, event]));
  const found = incoming.filter((event) => byId.has(event.eventId));
  if (found.length > 0) {
    const differing = found.find((event) => contentDigest(byId.get(event.eventId) as RecordedEvent) !== event.contentDigest);
    if (differing || found.length < incoming.length) return { kind: 'conflict', eventId: (differing ?? found[0]).eventId };
    return {
      kind: 'duplicate',
      events: incoming.map((event) => byId.get(event.eventId) as RecordedEvent),
    };
  }
  const last = stored[stored.length - 1];
  const actual = last ? last.revision : null;
  if ((expected === 'no-stream' && actual !== null) || (typeof expected === 'number' && actual !== expected)) {
    return { kind: 'wrong-revision', actual };
  }
  return {
    kind: 'append',
    head: last ? { revision: last.revision, hash: last.hash } : { revision: -1, hash: GENESIS_HASH },
  };
}
