import type { ChildState, Refusal, SubjectKind, SubmittedEvent } from '@lbc/domain';
import { streamIdOf, subjectOf } from '@lbc/domain';
import type { EventStore } from '@lbc/event-store';
import type { Session } from '@lbc/http';
import { mapLimit } from '@lbc/http';
import type { PersonalDataVault } from '@lbc/personal-data';
import { PersonalDataError } from '@lbc/personal-data';
import type { IngestMetrics } from '../observability/metrics';
import type { SubjectState } from './aggregates';
import { evolveSubject } from './aggregates';
import type { AppendContext } from './append-with-retry';
import { appendFresh } from './append-with-retry';
import { refuseForbidden } from './authorise';
import type { CarerPairings, ChildInBatch, LockedCarers } from './carer-pairings';
import { carerLoadInBatch } from './carer-pairings';
import type { DecisionContext, StoredForm } from './decide-submitted';
import { contextSubjectsOf, decideSubmitted, isRefused } from './decide-submitted';
import type { EventResult } from './event-result';
import type { Outcome, Pending, StreamInWork } from './pending-events';
import { pendingOf, rejected } from './pending-events';
import type { RecordOptions, Submission } from './record-events.command';
import type { Rejection } from './rejection';
import { fromRefusal, rejection } from './rejection';
import { resendOutcome } from './resend';
import { EventSealer, envelopeOf, newEventsOf } from './seal-events';
import type { SubjectStreams } from './subject-streams';

export interface EventRecorderOptions {
  readonly store: EventStore;
  readonly streams: SubjectStreams;
  readonly pairings: CarerPairings;
  readonly vault: PersonalDataVault;
  readonly maxCarerLoad: number;
  readonly clock: () => Date;
  readonly metrics: IngestMetrics;
}

// A stale cached context can only make decide refuse wrongly for these; reloading settles it.
const CONTEXT_REFUSALS = new Set(['unknown-school', 'unknown-carer', 'unknown-care-home']);
const PREFETCH_CONCURRENCY = 16;
const APPEND_CONCURRENCY = 8;

/**
 * Records submitted events in order: each is authorised, checked for a resend, decided against its
 * subject's folded state (and the context it needs), its personal data sealed; the events of one
 * stream are then appended together with the revision they were decided against. Streams are
 * written concurrently; a stream another writer moved meanwhile is reloaded and decided again.
 */
export class EventRecorder {
  constructor(private readonly options: EventRecorderOptions) {}

  async record(submissions: readonly Submission[], actor: Session, options: RecordOptions): Promise<EventResult[]> {
    const results: EventResult[] = new Array(submissions.length);
    const parsed: { index: number; event: SubmittedEvent }[] = [];
    submissions.forEach((submission, index) => {
      if (submission.parsed.ok) parsed.push({ index, event: submission.parsed.event });
      else results[index] = rejected(submission.eventId, fromRefusal(submission.parsed.refusal));
    });
    const carers = parsed.flatMap(({ event }) => (event.type === 'PairingStarted' ? [event.data.carerId] : []));
    const batch = new Batch(this.options, actor, options, results);
    if (carers.length === 0) await batch.run(parsed);
    else await this.options.pairings.withCarersLocked(carers, (locked) => batch.run(parsed, locked, carers));
    if (!options.dryRun) for (const result of results) this.options.metrics.events.inc({ status: result.status });
    return results;
  }
}

/** One request's events: the streams it works on and what it has decided so far. */
class Batch implements AppendContext {
  private readonly working = new Map<string, StreamInWork>();
  /** Ids decided in this batch, for a resend within one request. */
  private readonly batchIds = new Map<string, Pending>();
  private readonly sealer: EventSealer;
  locked: LockedCarers | undefined;
  readonly store: EventStore;
  readonly streams: SubjectStreams;
  readonly pairings: CarerPairings;
  readonly vault: PersonalDataVault;
  readonly metrics: IngestMetrics;

  constructor(
    private readonly deps: EventRecorderOptions,
    private readonly actor: Session,
    private readonly options: RecordOptions,
    readonly results: EventResult[],
  ) {
    ({ store: this.store, streams: this.streams, pairings: this.pairings, vault: this.vault, metrics: this.metrics } = deps);
    this.sealer = new EventSealer(deps.vault, options.dryRun === true);
  }

  async run(parsed: readonly { index: number; event: SubmittedEvent }[], locked?: LockedCarers, lockedCarers: readonly string[] = []): Promise<void> {
    this.locked = locked;
    // Under the carers' locks their streams are read afresh: a retirement elsewhere counts.
    await mapLimit(lockedCarers, PREFETCH_CONCURRENCY, (carerId) => this.streams.reload('carer', carerId).then(() => undefined));
    await this.prefetch(parsed.map(({ event }) => event));
    const duplicatesInBatch: { index: number; of: Pending }[] = [];
    for (const { index, event } of parsed) {
      const outcome = await this.plan(index, event);
      const pending = pendingOf(outcome);
      if (!pending) this.results[index] = outcome as EventResult;
      else if (pending.index !== index) duplicatesInBatch.push({ index, of: pending });
    }
    const planned = [...this.working.values()].filter((w) => w.pending.length > 0);
    if (this.options.atomic && this.results.some((result) => result?.status === 'rejected')) {
      for (const pending of planned.flatMap((w) => w.pending)) {
        this.results[pending.index] = rejected(pending.event.eventId, rejection('atomic-batch-aborted', '', 'another event of this atomic batch was rejected; nothing was written'));
      }
      for (const { index, of } of duplicatesInBatch) this.results[index] = this.results[of.index];
      return;
    }
    if (this.options.dryRun) {
      for (const pending of planned.flatMap((w) => w.pending)) this.results[pending.index] = { eventId: pending.event.eventId, status: 'accepted' };
    } else {
      await mapLimit(planned, APPEND_CONCURRENCY, (w) => this.streams.exclusive(w.base.streamId, () => appendFresh(this, w)));
    }
    for (const { index, of } of duplicatesInBatch) {
      const first = this.results[of.index];
      this.results[index] = first.status === 'rejected' ? first : { eventId: of.event.eventId, status: 'duplicate', globalPosition: first.globalPosition };
    }
  }

  /**
   * One event, as the model handlers have it: its stream loaded and folded, a resend recognised,
   * the event decided against the state, and the new events (state folded on, personal data
   * sealed) queued for the stream's append with the revision they were decided against.
   */
  private async plan(index: number, event: SubmittedEvent): Promise<Outcome> {
    const subject = subjectOf(event);
    const stream = await this.workingOf(subject.kind, subject.id);
    try {
      const resent = await resendOutcome(event, stream.base, this.batchIds.get(event.eventId), this.sealer);
      if (resent) return resent;
      const decision = await this.decide(event, stream);
      if ('code' in decision) return rejected(event.eventId, decision);
      return await this.queue(index, event, stream, decision);
    } catch (error) {
      if (!(error instanceof PersonalDataError)) throw error;
      return rejected(event.eventId, rejection(error.code === 'subject-erased' ? 'already-erased' : 'invalid-value', 'data.personal', error.message));
    }
  }

  /** Authorises, then decides; a refusal for context this request only had cached is decided again on a fresh read. */
  private async decide(event: SubmittedEvent, stream: StreamInWork): Promise<readonly StoredForm[] | Rejection> {
    const forbidden = refuseForbidden(this.actor, event, stream.state);
    if (forbidden) return forbidden;
    const metadata = { now: this.deps.clock().toISOString(), actingSchoolId: this.actor.role === 'platform_admin' ? null : (this.actor.schoolId ?? null) };
    let decision: readonly StoredForm[] | Refusal = await decideSubmitted(event, stream.state, this.context, metadata);
    if (isRefused(decision) && CONTEXT_REFUSALS.has(decision.code)) {
      const stale = contextSubjectsOf(event, stream.state).filter((s) => !this.working.has(streamIdOf(s.kind, s.id)));
      if (stale.length > 0) {
        await Promise.all(stale.map((s) => this.streams.reload(s.kind, s.id)));
        decision = await decideSubmitted(event, stream.state, this.context, metadata);
      }
    }
    return isRefused(decision) ? fromRefusal(decision) : decision;
  }

  /** Folds the decided forms onto the stream's state and queues them, sealed and enveloped, for its append. */
  private async queue(index: number, event: SubmittedEvent, stream: StreamInWork, decision: readonly StoredForm[]): Promise<Pending> {
    const state = decision.reduce((folded, form) => evolveSubject(stream.kind, folded, form), stream.state);
    const envelope = await envelopeOf(stream.kind, stream.subjectId, state, this.actor, (kind, id) => this.stateOf(kind, id));
    const newEvents = await newEventsOf(decision, event, stream.subjectId, this.sealer, { ...envelope, recordedBy: this.actor.userId, correlationId: this.options.correlationId });
    const pending: Pending = { index, event, newEvents };
    stream.state = state;
    stream.pending.push(pending);
    this.batchIds.set(event.eventId, pending);
    return pending;
  }

  /** Decides `previous` events again on the stream's freshly read state. */
  async replan(stream: StreamInWork, previous: readonly Pending[]): Promise<void> {
    stream.base = await this.streams.reload(stream.kind, stream.subjectId);
    stream.state = stream.base.state;
    stream.pending = [];
    for (const p of previous) {
      this.batchIds.delete(p.event.eventId);
      const outcome = await this.plan(p.index, p.event);
      if (!pendingOf(outcome)) this.results[p.index] = outcome as EventResult;
    }
  }

  private async prefetch(events: readonly SubmittedEvent[]): Promise<void> {
    const unique = (subjects: { kind: SubjectKind; id: string }[]) => [...new Map(subjects.map((s) => [streamIdOf(s.kind, s.id), s])).values()];
    await mapLimit(unique(events.map(subjectOf)), PREFETCH_CONCURRENCY, async (s) => void (await this.workingOf(s.kind, s.id)));
    const context = unique(events.flatMap((event) => contextSubjectsOf(event, this.stateIfWorking(event))));
    await mapLimit(context, PREFETCH_CONCURRENCY, async (s) => void (await this.stateOf(s.kind, s.id)));
  }

  private async workingOf(kind: SubjectKind, subjectId: string): Promise<StreamInWork> {
    const streamId = streamIdOf(kind, subjectId);
    const known = this.working.get(streamId);
    if (known) return known;
    const base = await this.streams.load(kind, subjectId);
    const working = this.working.get(streamId) ?? { kind, subjectId, base, state: base.state, pending: [] };
    this.working.set(streamId, working);
    return working;
  }

  private stateIfWorking(event: SubmittedEvent): SubjectState {
    const subject = subjectOf(event);
    const working = this.working.get(streamIdOf(subject.kind, subject.id));
    if (!working) throw new Error(`${subject.kind} ${subject.id} was not prefetched`);
    return working.state;
  }

  private async stateOf(kind: SubjectKind, id: string): Promise<SubjectState> {
    return this.working.get(streamIdOf(kind, id))?.state ?? (await this.streams.load(kind, id)).state;
  }

  private readonly context: DecisionContext = {
    state: (kind, id) => this.stateOf(kind, id),
    carerActivePairings: (carerId) => carerLoadInBatch(carerId, this.locked, this.childrenInBatch()),
    maxCarerLoad: this.deps.maxCarerLoad,
  };

  private *childrenInBatch(): Iterable<ChildInBatch> {
    for (const w of this.working.values()) if (w.kind === 'child') yield { childId: w.subjectId, read: w.base.state as ChildState, decided: w.state as ChildState };
  }
}
