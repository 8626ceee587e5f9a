import type { SubjectKind } from '@lbc/domain';
import { streamIdOf } from '@lbc/domain';
import type { EventStore } from '@lbc/event-store';
import { contentDigest } from '@lbc/event-store';
import type { SubjectState } from './aggregates';
import { evolveSubject, initialSubjectState } from './aggregates';
import { LRUCache } from 'lru-cache';

export interface StoredId {
  readonly digest: string;
  readonly globalPosition: number;
}

/** A subject's stream folded up to `revision` (-1: no stream), with the ids it holds for dedupe. */
export interface FoldedStream {
  readonly streamId: string;
  readonly kind: SubjectKind;
  readonly subjectId: string;
  readonly state: SubjectState;
  readonly revision: number;
  readonly eventIds: ReadonlyMap<string, StoredId>;
}

/**
 * Folded subject streams, remembered (LRU) so that a hot stream is not re-read for every event.
 * A remembered fold may be stale when another process wrote meanwhile: appends carry its revision,
 * so the store refuses a stale write and the writer reloads (`reload`).
 */
export class SubjectStreams {
  private readonly cache: LRUCache<string, FoldedStream>;
  private readonly writers = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: EventStore,
    capacity: number,
  ) {
    this.cache = new LRUCache({ max: capacity });
  }

  async load(kind: SubjectKind, subjectId: string): Promise<FoldedStream> {
    return this.cache.get(streamIdOf(kind, subjectId)) ?? this.reload(kind, subjectId);
  }

  async reload(kind: SubjectKind, subjectId: string): Promise<FoldedStream> {
    const streamId = streamIdOf(kind, subjectId);
    const events = await this.store.readStream(streamId);
    let state = initialSubjectState(kind);
    const eventIds = new Map<string, StoredId>();
    for (const event of events) {
      state = evolveSubject(kind, state, event);
      eventIds.set(event.eventId, { digest: contentDigest(event), globalPosition: event.globalPosition });
    }
    const folded = { streamId, kind, subjectId, state, revision: events.length - 1, eventIds };
    this.cache.set(streamId, folded);
    return folded;
  }

  remember(folded: FoldedStream): void {
    this.cache.set(folded.streamId, folded);
  }

  forget(streamId: string): void {
    this.cache.delete(streamId);
  }

  /** The revision this process last saw of the stream, if it still remembers it. */
  revisionOf(streamId: string): number | undefined {
    return this.cache.peek(streamId)?.revision;
  }

  /**
   * Runs `work` when no other writer of this process is writing the stream: writers here queue
   * instead of racing into revision conflicts (other processes are still caught by the revision).
   */
  async exclusive<T>(streamId: string, work: () => Promise<T>): Promise<T> {
    const current = (this.writers.get(streamId) ?? Promise.resolve()).then(work);
    const settled = current.then(
      () => undefined,
      () => undefined,
    );
    this.writers.set(streamId, settled);
    try {
      return await current;
    } finally {
      if (this.writers.get(streamId) === settled) this.writers.delete(streamId);
    }
  }
}
