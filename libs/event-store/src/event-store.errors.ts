import type { ExpectedRevision } from './event-store.port';

/** The stream is not where the writer expected it: reload, decide again, retry. */
export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** Revision of the stream's last event; `null` when the stream does not exist. */
    readonly actual: number | null,
  ) {
    super(`Stream ${streamId}: expected revision ${expected}, actual ${actual ?? 'no-stream'}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

/** An `eventId` is already stored with other content (or in another stream): never a retry. */
export class EventIdConflictError extends Error {
  constructor(
    readonly eventId: string,
    readonly streamId: string,
  ) {
    super(`eventId ${eventId} is already stored with other content; appending to ${streamId} refused`);
    this.name = 'EventIdConflictError';
  }
}

/** A new event is malformed; `field` names the offending field, e.g. `events[0].occurredAt`. */
export class InvalidEventError extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'InvalidEventError';
  }
}
