import type { ChildState, SubjectKind } from '@lbc/domain';
import { activePairings } from '@lbc/domain';
import type { EventStore } from '@lbc/event-store';
import { contentDigest, EventIdConflictError, WrongExpectedRevisionError } from '@lbc/event-store';
import type { PersonalDataVault } from '@lbc/personal-data';
import type { IngestMetrics } from '../observability/metrics';
import type { SubjectState } from './aggregates';
import type { CarerPairings, LockedCarers } from './carer-pairings';
import type { EventResult } from './event-result';
import type { Pending, StreamInWork } from './pending-events';
import { conflict, rejected } from './pending-events';
import { rejection } from './rejection';
import type { StoredId, SubjectStreams } from './subject-streams';

const APPEND_ATTEMPTS = 5;

/** What appending a stream's decided events needs of the request that decided them. */
export interface AppendContext {
  readonly store: EventStore;
  readonly streams: SubjectStreams;
  readonly pairings: CarerPairings;
  readonly vault: PersonalDataVault;
  readonly metrics: IngestMetrics;
  /** Where each event's result goes, by its place in the request. */
  readonly results: EventResult[];
  /** The carers locked for this request's pairings, if it starts any. */
  readonly locked: LockedCarers | undefined;
  /** Decides `previous` again on the stream's freshly read state (its pending events replaced). */
  replan(stream: StreamInWork, previous: readonly Pending[]): Promise<void>;
}

/** Appends a stream's decided events; first decides again when another request of this process wrote the stream since this one read it. */
export async function appendFresh(context: AppendContext, stream: StreamInWork): Promise<void> {
  const seen = context.streams.revisionOf(stream.base.streamId);
  if (seen !== undefined && seen !== stream.base.revision) await context.replan(stream, stream.pending);
  await appendWithRetry(context, stream);
}

/**
 * Appends a stream's pending events with the revision they were decided against; when another
 * writer moved the stream, decides them again on its new state and retries (at most
 * `APPEND_ATTEMPTS` times). `singly`: the stream holds one pending event whose id may be stored
 * elsewhere (then it is the conflict).
 */
async function appendWithRetry(context: AppendContext, stream: StreamInWork, singly = false): Promise<void> {
  const { store, streams, pairings, vault, metrics, results } = context;
  const before = activePairingIds(stream.kind, stream.base.state);
  for (let attempt = 1; stream.pending.length > 0; attempt++) {
    const expected = stream.base.revision < 0 ? 'no-stream' : stream.base.revision;
    try {
      // Erasure first: if the append then fails, the resend erases again (idempotent) and appends.
      for (const p of stream.pending) if (p.event.type === 'PersonalDataErased') await vault.erase(stream.subjectId);
      const result = await store.append(stream.base.streamId, stream.pending.flatMap((p) => p.newEvents), expected);
      const positions = new Map(result.events.map((event) => [event.eventId, event.globalPosition]));
      for (const p of stream.pending) {
        const globalPosition = positions.get(p.newEvents[p.newEvents.length - 1].eventId);
        results[p.index] = { eventId: p.event.eventId, status: result.status === 'appended' ? 'accepted' : 'duplicate', globalPosition };
      }
      if (result.status === 'duplicate') return streams.forget(stream.base.streamId);
      const eventIds = stream.base.eventIds as Map<string, StoredId>;
      for (const event of result.events) eventIds.set(event.eventId, { digest: contentDigest(event), globalPosition: event.globalPosition });
      streams.remember({ ...stream.base, state: stream.state, revision: result.nextExpectedRevision, eventIds });
      if (stream.kind === 'child' && activePairingIds(stream.kind, stream.state) !== before) {
        await pairings.record(stream.subjectId, result.nextExpectedRevision, stream.state as ChildState, context.locked?.client);
      }
      return;
    } catch (error) {
      if (error instanceof EventIdConflictError) {
        if (singly) return void (results[stream.pending[0].index] = conflict(stream.pending[0].event));
        return appendOneByOne(context, stream);
      }
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      metrics.appendRetries.inc();
      if (attempt >= APPEND_ATTEMPTS) {
        for (const p of stream.pending) {
          results[p.index] = rejected(p.event.eventId, rejection('concurrent-write', `${stream.kind}Id`, 'other writers kept changing this subject; send the event again'));
        }
        return;
      }
      await context.replan(stream, stream.pending);
    }
  }
}

/** Some eventId of the stream is stored elsewhere with other content: find which, appending one at a time. */
async function appendOneByOne(context: AppendContext, stream: StreamInWork): Promise<void> {
  for (const p of stream.pending) {
    await context.replan(stream, [p]);
    await appendWithRetry(context, stream, true);
  }
}

function activePairingIds(kind: SubjectKind, state: SubjectState): string {
  return kind === 'child' ? activePairings(state as ChildState).map((p) => `${p.pairingId}:${p.carerId}`).join() : '';
}
