/**
 * The event store port. Adapters: PostgreSQL (`postgres/`) and EventStoreDB (`eventstoredb/`);
 * both pass the one conformance suite in `@lbc/testing`.
 *
 * Streams are per subject (`child-<id>`, `school-<id>`, `carer-<id>`). Revisions count from 0
 * within a stream. The all-stream is read in commit order from an opaque `Checkpoint`, which each
 * adapter encodes itself (PostgreSQL: transaction id and sequence; EventStoreDB: commit and
 * prepare positions), so that a reader never skips an event that committed late.
 */

/** Revision of the stream's last event, or a state of the stream. */
export type ExpectedRevision = number | 'no-stream' | 'any';

/**
 * Opaque position in the all-stream. Checkpoints of one store compare as strings in all-stream
 * order (so a consumer may keep the larger of two); `START` is before every event.
 */
export type Checkpoint = string & { readonly __brand: 'Checkpoint' };

export const START = '0' as Checkpoint;

export interface EventMetadata {
  /** User id of whoever submitted the event. */
  readonly recordedBy: string;
  readonly schoolId: string | null;
  readonly countyId: string | null;
  readonly correlationId: string;
  readonly causationId: string | null;
}

/** What a writer hands to `append`: the server has already sealed `data.personal`. */
export interface NewEvent {
  /** Client-chosen UUID, the idempotency key. */
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  /** ISO-8601 with offset. */
  readonly occurredAt: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly metadata: EventMetadata;
}

/** The envelope of DOMAIN.md, as stored. */
export interface RecordedEvent extends NewEvent {
  readonly streamId: string;
  readonly revision: number;
  /** Unique, store-assigned; increases with commit order per stream, not necessarily across streams. */
  readonly globalPosition: number;
  /** Server clock at append, ISO-8601 UTC. */
  readonly recordedAt: string;
  /** `hash` of the stream's previous event; 64 zeros for the first. */
  readonly prevHash: string;
  /** SHA-256 (hex) over the RFC 8785 canonical form of the event without `hash`, `globalPosition`, `checkpoint`. */
  readonly hash: string;
  /** Where this event stands in the all-stream; resume reading after it. */
  readonly checkpoint: Checkpoint;
}

export interface AppendResult {
  /** `duplicate`: every event was already stored with the same content; nothing was written. */
  readonly status: 'appended' | 'duplicate';
  /** The stored events (for a duplicate, as first stored). */
  readonly events: readonly RecordedEvent[];
  /** Revision of the stream's last event after the append. */
  readonly nextExpectedRevision: number;
}

export interface ReadAllOptions {
  /** Exclusive; `START` for the beginning. */
  readonly after: Checkpoint;
  readonly limit: number;
}

export interface SubscribeOptions {
  readonly after: Checkpoint;
  /** Called with events in all-stream order; the next batch is read only after it resolves. */
  readonly handle: (events: readonly RecordedEvent[]) => Promise<void>;
  readonly batchSize?: number;
  readonly onError?: (error: unknown) => void;
}

export interface Subscription {
  /** Resolves once the handler has returned for the last time. */
  stop(): Promise<void>;
}

export interface EventStore {
  /**
   * Appends atomically. Idempotent on `eventId`: resending the same events (same id and content)
   * yields `duplicate` whatever the expected revision; an id already stored with other content
   * throws `EventIdConflictError`; otherwise a revision mismatch throws `WrongExpectedRevisionError`.
   */
  append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult>;
  /** The whole stream in revision order; empty for a stream that does not exist. */
  readStream(streamId: string, options?: { fromRevision?: number }): Promise<RecordedEvent[]>;
  readAll(options: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Catch-up then live: every event after `after`, in order, none skipped. */
  subscribeToAll(options: SubscribeOptions): Subscription;
  /** Checkpoint of the last event currently readable in the all-stream (`START` when empty). */
  headCheckpoint(): Promise<Checkpoint>;
  close(): Promise<void>;
}
