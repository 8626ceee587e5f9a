import type {
  CarerEvent,
  CarerState,
  ChildEvent,
  ChildState,
  CommandMetadata,
  Refusal,
  SchoolEvent,
  SchoolState,
  SubjectKind,
  SubmittedEvent,
} from '@lbc/domain';
import { decideCarer, decideChild, decideSchool, subjectOf } from '@lbc/domain';
import type { SubjectState } from './aggregates';

/** Where the decision's context comes from: other subjects' folded states, carers' loads. */
export interface DecisionContext {
  state(kind: SubjectKind, id: string): Promise<SubjectState>;
  /** Active pairings of a carer whose lock the writer holds (PairingStarted only). */
  carerActivePairings(carerId: string): number;
  readonly maxCarerLoad: number;
}

export type StoredForm = { readonly type: string; readonly occurredAt: string; readonly data: Readonly<Record<string, unknown>> };

/** The subjects an event's decision reads besides its own: for prefetching and for locks. */
export function contextSubjectsOf(event: SubmittedEvent, state: SubjectState): { kind: SubjectKind; id: string }[] {
  const subjects: { kind: SubjectKind; id: string }[] = [];
  const data = event.data as { schoolId?: string; carerId?: string };
  const kind = subjectOf(event).kind;
  if (kind === 'child') {
    const schoolId = event.type === 'ChildRegistered' || event.type === 'EnrollmentChanged' ? data.schoolId : state.status === 'registered' ? (state as ChildState & { schoolId: string }).schoolId : undefined;
    if (schoolId) subjects.push({ kind: 'school', id: schoolId });
    if ((event.type === 'PairingStarted' || event.type === 'CareActivityRecorded') && data.carerId) subjects.push({ kind: 'carer', id: data.carerId });
  }
  if (kind === 'carer' && event.type === 'CarerRegistered' && data.schoolId) subjects.push({ kind: 'school', id: data.schoolId });
  return subjects;
}

/** Calls the subject's `decide` with the context it needs, read through `context`. */
export async function decideSubmitted(
  event: SubmittedEvent,
  state: SubjectState,
  context: DecisionContext,
  metadata: CommandMetadata,
): Promise<readonly StoredForm[] | Refusal> {
  const subject = subjectOf(event);
  const needed = contextSubjectsOf(event, state);
  const find = async (kind: SubjectKind) => {
    const found = needed.find((s) => s.kind === kind);
    return found ? context.state(kind, found.id) : null;
  };
  switch (subject.kind) {
    case 'child': {
      const carerId = event.type === 'PairingStarted' ? event.data.carerId : undefined;
      return decideChild(
        { type: 'RecordChildEvent', childId: subject.id, event: event as ChildEvent, metadata },
        state as ChildState,
        {
          school: (await find('school')) as SchoolState | null,
          carer: (await find('carer')) as CarerState | null,
          ...(carerId ? { carerActivePairings: context.carerActivePairings(carerId) } : {}),
          maxCarerLoad: context.maxCarerLoad,
        },
      );
    }
    case 'school':
      return decideSchool({ type: 'RecordSchoolEvent', schoolId: subject.id, event: event as SchoolEvent, metadata }, state as SchoolState);
    case 'carer':
      return decideCarer({ type: 'RecordCarerEvent', carerId: subject.id, event: event as CarerEvent, metadata }, state as CarerState, {
        school: (await find('school')) as SchoolState | null,
      });
  }
}

export function isRefused(decision: readonly StoredForm[] | Refusal): decision is Refusal {
  return !Array.isArray(decision);
}
