import type { CarerState, ChildState, SchoolState, StoredCarerEvent, StoredChildEvent, StoredSchoolEvent, SubjectKind } from '@lbc/domain';
import { evolveCarer, evolveChild, evolveSchool, initialCarerState, initialChildState, initialSchoolState } from '@lbc/domain';

export interface SubjectStates {
  readonly child: ChildState;
  readonly school: SchoolState;
  readonly carer: CarerState;
}

export type SubjectState = SubjectStates[SubjectKind];

/** Folds a subject's stored events (already in the store's form) onto its state. */
export function evolveSubject(kind: SubjectKind, state: SubjectState, event: { type: string; occurredAt: string; data: object }): SubjectState {
  switch (kind) {
    case 'child':
      return evolveChild(state as ChildState, event as StoredChildEvent);
    case 'school':
      return evolveSchool(state as SchoolState, event as StoredSchoolEvent);
    case 'carer':
      return evolveCarer(state as CarerState, event as StoredCarerEvent);
  }
}

/** A subject's stored stream, oldest event first, folded onto its state: the one place a stored event meets `evolve`. */
export function foldStream<K extends SubjectKind>(kind: K, events: Iterable<{ type: string; occurredAt: string; data: object }>): SubjectStates[K] {
  let state = initialSubjectState(kind);
  for (const event of events) state = evolveSubject(kind, state, event);
  return state as SubjectStates[K];
}

export function initialSubjectState(kind: SubjectKind): SubjectState {
  switch (kind) {
    case 'child':
      return initialChildState();
    case 'school':
      return initialSchoolState();
    case 'carer':
      return initialCarerState();
  }
}
