import { createHash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import type { NewEvent, RecordedEvent } from '../event-store.port';

/** `prevHash` of a stream's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** What the hash covers: the stored envelope without the store's positions and the hash itself. */
export type ChainedEvent = Omit<RecordedEvent, 'hash' | 'globalPosition' | 'checkpoint'>;

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** SHA-256 over the RFC 8785 canonical form, so any store and any language recompute it alike. */
export function eventHash(event: ChainedEvent): string {
  const { eventId, type, schemaVersion, occurredAt, data, metadata, streamId, revision, recordedAt, prevHash } = event;
  return sha256(
    canonicalize({
      eventId,
      type,
      schemaVersion,
      occurredAt,
      data,
      metadata,
      streamId,
      revision,
      recordedAt,
      prevHash,
    }),
  );
}

/**
 * Digest of what a sender controls. A resent `eventId` with the same digest is a retry
 * (`duplicate`); with another digest it is a conflict. Metadata is left out: a retry may come
 * through another request (new correlation id) and is still the same fact.
 */
export function contentDigest(event: Pick<NewEvent, 'type' | 'schemaVersion' | 'occurredAt' | 'data'>): string {
  const { type, schemaVersion, occurredAt, data } = event;
  return sha256(canonicalize({ type, schemaVersion, occurredAt, data }));
}

/** A stream's last event, as far as chaining needs it. */
export interface StreamHead {
  /** -1 for a stream without events (its hash is then `GENESIS_HASH`). */
  readonly revision: number;
  readonly hash: string;
}

/** Seals new events onto a stream after `head`. */
export function chainEvents(
  streamId: string,
  events: readonly NewEvent[],
  head: StreamHead,
  recordedAt: string,
): (ChainedEvent & { readonly hash: string })[] {
  let prevHash = head.hash;
  return events.map((event, index) => {
    const chained: ChainedEvent = {
      ...event,
      streamId,
      revision: head.revision + 1 + index,
      recordedAt,
      prevHash,
    };
    const hash = eventHash(chained);
    prevHash = hash;
    return { ...chained, hash };
  });
}

export type ChainVerdict = { readonly ok: true } | { readonly ok: false; readonly revision: number; readonly reason: string };

/**
 * Why `event` does not follow `previous` in its stream's chain (null if it does). Without
 * `previous`, a first event must start the chain and a later one's `prevHash` is trusted.
 */
export function brokenLink(previous: RecordedEvent | undefined, event: RecordedEvent): string | null {
  if (previous && event.streamId !== previous.streamId) return `streamId ${event.streamId} differs from ${previous.streamId}`;
  if (previous && event.revision !== previous.revision + 1) return `follows revision ${previous.revision}`;
  if (!previous && event.revision === 0 && event.prevHash !== GENESIS_HASH) return 'first event does not start the chain';
  if (previous && event.prevHash !== previous.hash) return 'prevHash is not the previous event’s hash';
  if (eventHash(event) !== event.hash) return 'content does not match its hash';
  return null;
}

/**
 * For auditors: checks a stream read from revision 0 (or a later revision, trusting its `prevHash`)
 * and names the first revision where the record was altered, reordered or cut.
 */
export function verifyChain(events: readonly RecordedEvent[]): ChainVerdict {
  let previous: RecordedEvent | undefined;
  for (const event of events) {
    const reason = brokenLink(previous, event);
    if (reason !== null) return { ok: false, revision: event.revision, reason };
    previous = event;
  }
  return { ok: true };
}
