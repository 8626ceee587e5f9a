import type { ChildState, ParseResult, SubjectKind, SubmittedEvent } from '@lbc/domain';
import { activePairings, streamIdOf, subjectOf, withPersonalFields } from '@lbc/domain';
import type { EventStore, NewEvent } from '@lbc/event-store';
import type { PersonalDataVault } from '@lbc/personal-data';
import { PersonalDataError } from '@lbc/personal-data';
import { contentDigest, EventIdConflictError, WrongExpectedRevisionError } from '@lbc/event-store';
import type { Session } from '@lbc/http';
import { mapLimit } from '@lbc/http';
import type { IngestMetrics } from '../observability/metrics';
import { uuidV5 } from '../util/uuid-v5';
import type { SubjectState } from './aggregates';
import { evolveSubject } from './aggregates';
import { refuseForbidden } from './authorise';
import type { CarerPairings, ChildInBatch, LockedCarers } from './carer-pairings';
import { carerLoadInBatch } from './carer-pairings';
import type { DecisionContext, StoredForm } from './decide-submitted';
import { contextSubjectsOf, decideSubmitted, isRefused } from './decide-submitted';
import type { EventResult } from './event-result';
import type { Rejection } from './rejection';
import { fromRefusal, rejection } from './rejection';
import type { FoldedStream, SubjectStreams } from './subject-streams';

/** One submitted event as the controller parsed it. */
export interface Submission {
  /** The `eventId` as sent, for the result even when parsing failed. */
  readonly eventId: string | null;
  readonly parsed: ParseResult;
}

export interface RecordOptions {
  /** All or nothing: write only if no event is rejected. */
  readonly atomic: boolean;
  readonly correlationId: string;
  /** Decide only: results say what would happen (`accepted` without a position); nothing is written. */
  readonly dryRun?: boolean;
}

export interface EventRecorderOptions {
  readonly store: EventStore;
  readonly streams: SubjectStreams;
  readonly pairings: CarerPairings;
  readonly vault: PersonalDataVault;
  readonly maxCarerLoad: number;
  readonly clock: () => Date;
  readonly metrics: IngestMetrics;
}

interface Pending {
  readonly index: number;
  readonly event: SubmittedEvent;
  readonly newEvents: readonly NewEvent[];
}

interface Working {
  readonly kind: SubjectKind;
  readonly subjectId: string;
  base: FoldedStream;
  state: SubjectState;
  pending: Pending[];
}

type Outcome = EventResult | Pending;

// A stale cached context can only make decide refuse wrongly for these; reloading settles it.
const CONTEXT_REFUSALS = new Set(['unknown-school', 'unknown-carer', 'unknown-care-home']);
const APPEND_ATTEMPTS = 5;
const PREFETCH_CONCURRENCY = 16;
const APPEND_CONCURRENCY = 8;
/** Namespace of the ids of the second and later events one submission may decide into. */
const DERIVED_EVENT_IDS = 'c0b9a1e2-4f4e-5d2a-9a57-6a1f0e3b7c21';

const pendingOf = (outcome: Outcome): Pending | null => ('newEvents' in outcome ? outcome : null);
const rejected = (eventId: string | null, why: Rejection): EventResult => ({ eventId, status: 'rejected', reason: why.code, field: why.field, message: why.message });

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
class Batch {
  private readonly working = new Map<string, Working>();
  /** Ids decided in this batch, for a resend within one request. */
  private readonly batchIds = new Map<string, Pending>();
  private locked: LockedCarers | undefined;

  constructor(
    private readonly deps: EventRecorderOptions,
    private readonly actor: Session,
    private readonly options: RecordOptions,
    private readonly results: EventResult[],
  ) {}

  async run(parsed: readonly { index: number; event: SubmittedEvent }[], locked?: LockedCarers, lockedCarers: readonly string[] = []): Promise<void> {
    this.locked = locked;
    // Under the carers' locks their streams are read afresh: a retirement elsewhere counts.
    await mapLimit(lockedCarers, PREFETCH_CONCURRENCY, (carerId) => this.deps.streams.reload('carer', carerId).then(() => undefined));
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
      await mapLimit(planned, APPEND_CONCURRENCY, (w) => this.deps.streams.exclusive(w.base.streamId, () => this.writeFresh(w)));
    }
    for (const { index, of } of duplicatesInBatch) {
      const first = this.results[of.index];
      this.results[index] = first.status === 'rejected' ? first : { eventId: of.event.eventId, status: 'duplicate', globalPosition: first.globalPosition };
    }
  }

  private async prefetch(events: readonly SubmittedEvent[]): Promise<void> {
    const unique = (subjects: { kind: SubjectKind; id: string }[]) => [...new Map(subjects.map((s) => [streamIdOf(s.kind, s.id), s])).values()];
    await mapLimit(unique(events.map(subjectOf)), PREFETCH_CONCURRENCY, async (s) => void (await this.workingOf(s.kind, s.id)));
    const context = unique(events.flatMap((event) => contextSubjectsOf(event, this.stateIfWorking(event))));
    await mapLimit(context, PREFETCH_CONCURRENCY, async (s) => void (await this.stateOf(s.kind, s.id)));
  }

  private async workingOf(kind: SubjectKind, subjectId: string): Promise<Working> {
    const streamId = streamIdOf(kind, subjectId);
    const known = this.working.get(streamId);
    if (known) return known;
    const base = await this.deps.streams.load(kind, subjectId);
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
    return this.working.get(streamIdOf(kind, id))?.state ?? (await this.deps.streams.load(kind, id)).state;
  }

  private readonly context: DecisionContext = {
    state: (kind, id) => this.stateOf(kind, id),
    carerActivePairings: (carerId) => carerLoadInBatch(carerId, this.locked, this.childrenInBatch()),
    maxCarerLoad: this.deps.maxCarerLoad,
  };

  private *childrenInBatch(): Iterable<ChildInBatch> {
    for (const w of this.working.values()) if (w.kind === 'child') yield { childId: w.subjectId, read: w.base.state as ChildState, decided: w.state as ChildState };
  }

  /** Decides one event against the stream's state so far; a `Pending` joins the stream's append. */
  private async plan(index: number, event: SubmittedEvent): Promise<Outcome> {
    const subject = subjectOf(event);
    const w = await this.workingOf(subject.kind, subject.id);
    try {
      return await this.decide(index, event, w);
    } catch (error) {
      if (!(error instanceof PersonalDataError)) throw error;
      const code = error.code === 'subject-erased' ? 'already-erased' : 'invalid-value';
      return rejected(event.eventId, rejection(code, 'data.personal', error.message));
    }
  }

  private async decide(index: number, event: SubmittedEvent, w: Working): Promise<Outcome> {
    const subject = subjectOf(event);
    const stored = w.base.eventIds.get(event.eventId);
    const earlier = this.batchIds.get(event.eventId);
    if (stored || earlier) {
      // Against a stored event only the truly sealed form compares; a stored child or carer event means its key exists, so even a dry run creates none here.
      const form = withPersonalFields(event) as StoredForm;
      const digest = contentDigest({ ...(await (stored ? this.seal(form, subject.id) : this.sealForBatch(form, subject.id))), schemaVersion: 1 });
      if (stored) return digest === stored.digest ? { eventId: event.eventId, status: 'duplicate', globalPosition: stored.globalPosition } : this.conflict(event);
      if (earlier) {
        const earlierSubject = subjectOf(earlier.event);
        const same = streamIdOf(earlierSubject.kind, earlierSubject.id) === w.base.streamId && digest === contentDigest(earlier.newEvents[0]);
        return same ? earlier : this.conflict(event);
      }
    }
    const forbidden = refuseForbidden(this.actor, event, w.state);
    if (forbidden) return rejected(event.eventId, forbidden);
    const metadata = { now: this.deps.clock().toISOString(), actingSchoolId: this.actor.role === 'platform_admin' ? null : (this.actor.schoolId ?? null) };
    let decision = await decideSubmitted(event, w.state, this.context, metadata);
    if (isRefused(decision) && CONTEXT_REFUSALS.has(decision.code)) {
      const stale = contextSubjectsOf(event, w.state).filter((s) => !this.working.has(streamIdOf(s.kind, s.id)));
      if (stale.length > 0) {
        await Promise.all(stale.map((s) => this.deps.streams.reload(s.kind, s.id)));
        decision = await decideSubmitted(event, w.state, this.context, metadata);
      }
    }
    if (isRefused(decision)) return rejected(event.eventId, fromRefusal(decision));
    let state = w.state;
    for (const form of decision) state = evolveSubject(subject.kind, state, form);
    const envelope = await this.envelopeOf(subject.kind, subject.id, state);
    const newEvents = await Promise.all(
      decision.map(async (form, i) => ({
        ...(await this.sealForBatch(form, subject.id)),
        eventId: i === 0 ? event.eventId : uuidV5(`${event.eventId}/${i}`, DERIVED_EVENT_IDS),
        schemaVersion: 1,
        metadata: { recordedBy: this.actor.userId, ...envelope, correlationId: this.options.correlationId, causationId: null },
      })),
    );
    const pending: Pending = { index, event, newEvents };
    w.state = state;
    w.pending.push(pending);
    this.batchIds.set(event.eventId, pending);
    return pending;
  }

  private conflict(event: SubmittedEvent): EventResult {
    return rejected(event.eventId, rejection('conflict', 'eventId', `eventId ${event.eventId} is already stored with other content`));
  }

  /**
   * A dry run writes nothing, not even a subject's first data key: its events keep `data.personal`
   * in the clear (they are never appended) and are refused as sealing would refuse them.
   */
  private async sealForBatch(form: StoredForm, subjectId: string): Promise<StoredForm> {
    if (!this.options.dryRun || form.data['personal'] === undefined) return this.seal(form, subjectId);
    if (await this.deps.vault.isErased(subjectId)) {
      throw new PersonalDataError('subject-erased', 'subjectId', `subjectId: the personal data of ${subjectId} is erased; no personal data is accepted for it any more`);
    }
    return { type: form.type, occurredAt: form.occurredAt, data: form.data };
  }

  private async seal(form: StoredForm, subjectId: string): Promise<StoredForm> {
    if (form.data['personal'] === undefined) return { type: form.type, occurredAt: form.occurredAt, data: form.data };
    return { type: form.type, occurredAt: form.occurredAt, data: { ...form.data, personal: await this.deps.vault.seal(subjectId, form.data['personal']) } };
  }

  /** The envelope's school and county: the subject's school (after the event) and that school's county. */
  private async envelopeOf(kind: SubjectKind, subjectId: string, state: SubjectState): Promise<{ schoolId: string | null; countyId: string | null }> {
    const schoolId = kind === 'school' ? subjectId : state.status === 'registered' ? ((state as { schoolId: string | null }).schoolId ?? null) : null;
    const school = schoolId === null ? null : kind === 'school' ? state : await this.stateOf('school', schoolId);
    return { schoolId, countyId: school?.status === 'registered' ? (school as { countyId: string }).countyId : this.actor.countyId };
  }

  /** Decides again first when another request of this process wrote the stream since this one read it. */
  private async writeFresh(w: Working): Promise<void> {
    const seen = this.deps.streams.revisionOf(w.base.streamId);
    if (seen !== undefined && seen !== w.base.revision) await this.replan(w, w.pending);
    await this.write(w);
  }

  /**
   * Appends a stream's pending events with the revision they were decided against. `singly`: the
   * stream holds one pending event whose id may be stored elsewhere (then it is the conflict).
   */
  private async write(w: Working, singly = false): Promise<void> {
    const before = activePairingIds(w.kind, w.base.state);
    for (let attempt = 1; w.pending.length > 0; attempt++) {
      const expected = w.base.revision < 0 ? 'no-stream' : w.base.revision;
      try {
        // Erasure first: if the append then fails, the resend erases again (idempotent) and appends.
        for (const p of w.pending) if (p.event.type === 'PersonalDataErased') await this.deps.vault.erase(w.subjectId);
        const result = await this.deps.store.append(w.base.streamId, w.pending.flatMap((p) => p.newEvents), expected);
        const positions = new Map(result.events.map((event) => [event.eventId, event.globalPosition]));
        for (const p of w.pending) {
          const globalPosition = positions.get(p.newEvents[p.newEvents.length - 1].eventId);
          this.results[p.index] = { eventId: p.event.eventId, status: result.status === 'appended' ? 'accepted' : 'duplicate', globalPosition };
        }
        if (result.status === 'duplicate') return this.deps.streams.forget(w.base.streamId);
        const eventIds = w.base.eventIds as Map<string, { digest: string; globalPosition: number }>;
        for (const event of result.events) eventIds.set(event.eventId, { digest: contentDigest(event), globalPosition: event.globalPosition });
        this.deps.streams.remember({ ...w.base, state: w.state, revision: result.nextExpectedRevision, eventIds });
        if (w.kind === 'child' && activePairingIds(w.kind, w.state) !== before) {
          await this.deps.pairings.record(w.subjectId, result.nextExpectedRevision, w.state as ChildState, this.locked?.client);
        }
        return;
      } catch (error) {
        if (error instanceof EventIdConflictError) {
          if (singly) return void (this.results[w.pending[0].index] = this.conflict(w.pending[0].event));
          return this.writeOneByOne(w);
        }
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        this.deps.metrics.appendRetries.inc();
        if (attempt >= APPEND_ATTEMPTS) {
          for (const p of w.pending) {
            this.results[p.index] = rejected(p.event.eventId, rejection('concurrent-write', `${w.kind}Id`, 'other writers kept changing this subject; send the event again'));
          }
          return;
        }
        await this.replan(w, w.pending);
      }
    }
  }

  /** Decides `previous` events again on the stream's freshly read state. */
  private async replan(w: Working, previous: readonly Pending[]): Promise<void> {
    w.base = await this.deps.streams.reload(w.kind, w.subjectId);
    w.state = w.base.state;
    w.pending = [];
    for (const p of previous) {
      this.batchIds.delete(p.event.eventId);
      const outcome = await this.plan(p.index, p.event);
      if (!pendingOf(outcome)) this.results[p.index] = outcome as EventResult;
    }
  }

  /** Some eventId of the stream is stored elsewhere with other content: find which, writing one at a time. */
  private async writeOneByOne(w: Working): Promise<void> {
    for (const p of w.pending) {
      await this.replan(w, [p]);
      await this.write(w, true);
    }
  }
}
function activePairingIds(kind: SubjectKind, state: SubjectState): string {
  return kind === 'child' ? activePairings(state as ChildState).map((p) => `${p.pairingId}:${p.carerId}`).join() : '';
}
