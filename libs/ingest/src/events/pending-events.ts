import type { SubjectKind, SubmittedEvent } from '@lbc/domain';
import type { NewEvent } from '@lbc/event-store';
import type { SubjectState } from './aggregates';
import type { EventResult } from './event-result';
import type { Rejection } from './rejection';
import { rejection } from './rejection';
import type { FoldedStream } from './subject-streams';

/** A submitted event decided into the events that join its stream's append. */
export interface Pending {
  /** Its place in the request, for its result. */
  readonly index: number;
  readonly event: SubmittedEvent;
  readonly newEvents: readonly NewEvent[];
}

/** A stream one request works on: as read (`base`, whose revision the append expects) and as decided so far. */
export interface StreamInWork {
  readonly kind: SubjectKind;
  readonly subjectId: string;
  base: FoldedStream;
  state: SubjectState;
  pending: Pending[];
}

/** What deciding one event comes to: its result already, or events waiting for the append. */
export type Outcome = EventResult | Pending;

export const pendingOf = (outcome: Outcome): Pending | null => ('newEvents' in outcome ? outcome : null);

export const rejected = (eventId: string | null, why: Rejection): EventResult => ({ eventId, status: 'rejected', reason: why.code, field: why.field, message: why.message });

export const conflict = (event: SubmittedEvent): EventResult =>
  rejected(event.eventId, rejection('conflict', 'eventId', `eventId ${event.eventId} is already stored with other content`));
