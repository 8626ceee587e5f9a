import type { CarerState, ChildState, Refusal, SchoolState, StoredCarerEvent, StoredChildEvent, StoredSchoolEvent, SubmittedEvent } from '@lbc/domain';
import {
  activePairings,
  decideCarer,
  decideChild,
  decideSchool,
  evolveCarer,
  evolveChild,
  evolveSchool,
  initialCarerState,
  initialChildState,
  initialSchoolState,
  parseSubmittedEvent,
} from '@lbc/domain';
import type { GeneratedEvent } from '../generate-county';

export interface Rejected {
  readonly index: number;
  readonly event: SubmittedEvent | unknown;
  readonly refusal: Refusal;
}

/**
 * Records events in order as the ingest does, in memory: parse (strict, from JSON), then each
 * subject's `decide` with the context the ingest gives it (the school, the carer, the carer's
 * active pairings over all children), as `platform_admin` at `now`, then `evolve`.
 */
export function recordThroughDomain(
  events: Iterable<GeneratedEvent>,
  options: { maxCarerLoad: number; now: string },
): { recorded: number; rejected: Rejected[]; peakLoad: ReadonlyMap<string, number> } {
  const schools = new Map<string, SchoolState>();
  const carers = new Map<string, CarerState>();
  const children = new Map<string, ChildState>();
  const load = new Map<string, number>();
  /** Per carer: the most children it was ever paired with at once. */
  const peakLoad = new Map<string, number>();
  const metadata = { now: options.now, actingSchoolId: null };
  const rejected: Rejected[] = [];
  let index = 0;
  let recorded = 0;
  const school = (id: string | undefined | null) => (id ? (schools.get(id) ?? initialSchoolState()) : null);
  for (const generated of events) {
    const parsed = parseSubmittedEvent(JSON.parse(JSON.stringify(generated.event)));
    index++;
    if (!parsed.ok) {
      rejected.push({ index, event: generated.event, refusal: parsed.refusal });
      continue;
    }
    const event = parsed.event;
    if ('schoolId' in event) {
      const decision = decideSchool({ type: 'RecordSchoolEvent', schoolId: event.schoolId, event, metadata }, school(event.schoolId) as SchoolState);
      if (!Array.isArray(decision)) rejected.push({ index, event, refusal: decision as Refusal });
      else schools.set(event.schoolId, decision.reduce((s, e: StoredSchoolEvent) => evolveSchool(s, e), school(event.schoolId) as SchoolState));
    } else if ('carerId' in event) {
      const state = carers.get(event.carerId) ?? initialCarerState();
      const data = event.data as { schoolId?: string };
      const decision = decideCarer({ type: 'RecordCarerEvent', carerId: event.carerId, event, metadata }, state, { school: school(data.schoolId) });
      if (!Array.isArray(decision)) rejected.push({ index, event, refusal: decision as Refusal });
      else carers.set(event.carerId, decision.reduce((s, e: StoredCarerEvent) => evolveCarer(s, e), state));
    } else {
      const state = children.get(event.childId) ?? initialChildState();
      const data = event.data as { schoolId?: string; carerId?: string };
      const schoolId = event.type === 'ChildRegistered' || event.type === 'EnrollmentChanged' ? data.schoolId : state.status === 'registered' ? state.schoolId : undefined;
      const carerId = event.type === 'PairingStarted' || event.type === 'CareActivityRecorded' ? data.carerId : undefined;
      const decision = decideChild({ type: 'RecordChildEvent', childId: event.childId, event, metadata }, state, {
        school: school(schoolId),
        carer: carerId ? (carers.get(carerId) ?? initialCarerState()) : null,
        ...(event.type === 'PairingStarted' ? { carerActivePairings: load.get(event.data.carerId) ?? 0 } : {}),
        maxCarerLoad: options.maxCarerLoad,
      });
      if (!Array.isArray(decision)) {
        rejected.push({ index, event, refusal: decision as Refusal });
        continue;
      }
      const next = decision.reduce((s, e: StoredChildEvent) => evolveChild(s, e), state);
      for (const p of activePairings(state)) load.set(p.carerId, (load.get(p.carerId) ?? 0) - 1);
      for (const p of activePairings(next)) load.set(p.carerId, (load.get(p.carerId) ?? 0) + 1);
      for (const p of activePairings(next)) peakLoad.set(p.carerId, Math.max(peakLoad.get(p.carerId) ?? 0, load.get(p.carerId) ?? 0));
      children.set(event.childId, next);
    }
    recorded++;
  }
  return { recorded, rejected, peakLoad };
}
