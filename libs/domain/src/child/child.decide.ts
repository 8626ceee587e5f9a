import { refuseFutureOccurredAt, refuseOtherSchool } from '../command-metadata';
import type { CommandMetadata } from '../command-metadata';
import type { CarerState } from '../carer/carer.events';
import { withPersonalFields } from '../interchange/personal-fields';
import type { ChildEvent, EventOf, StoredChildEvent } from '../interchange/submitted-event';
import type { EnrollmentChangedData } from '../interchange/submitted-event.schema';
import { refusal } from '../refusal';
import type { Refusal } from '../refusal';
import type { SchoolState } from '../school/school.events';
import { instantOf, startOfMonth } from '../time/county-time';
import type { ChildFile, ChildState } from './child.events';
import { activePairings } from './child.queries';
import { unreachable } from '../unreachable';

/** Record a submitted child event: the interchange is event-shaped, each event a request to record a fact. */
export interface RecordChildEvent {
  readonly type: 'RecordChildEvent';
  readonly childId: string;
  readonly event: ChildEvent;
  readonly metadata: CommandMetadata;
}

export type ChildCommand = RecordChildEvent;

/** Facts from other streams that the handler reads before deciding. */
export interface ChildContext {
  /**
   * The school the event is recorded at, folded from its stream (unregistered or null: no such
   * school): `data.schoolId` for `ChildRegistered` and `EnrollmentChanged`, otherwise the child's
   * current school (`ChildFile.schoolId`), whose care homes a `CareActivityRecorded.homeId` must name.
   */
  readonly school: SchoolState | null;
  /**
   * The carer named by `data.carerId` of `PairingStarted` or `CareActivityRecorded`, folded from its
   * stream (unregistered or null: no such carer). Not consulted for other events.
   */
  readonly carer?: CarerState | null;
  /** For `PairingStarted`: the carer's active pairings over every child, before this one starts. */
  readonly carerActivePairings?: number;
  /** The county's maximum number of children per carer (the seeds practise 2–3; INDICATORS default 3). */
  readonly maxCarerLoad: number;
}

export function decideChild(command: ChildCommand, state: ChildState, context: ChildContext): StoredChildEvent[] | Refusal {
  if (command.type === 'RecordChildEvent') return recordChildEvent(command, state, context);
  return unreachable('child command', command.type);
}

function recordChildEvent(command: RecordChildEvent, state: ChildState, context: ChildContext): StoredChildEvent[] | Refusal {
  const { event } = command;
  const refused = refuseFutureOccurredAt(event.occurredAt, command.metadata) ?? refuseByChildRules(command, state, context);
  if (refused) return refused;
  return [withPersonalFields({ type: event.type, occurredAt: event.occurredAt, data: event.data } as ChildEvent)];
}

const isKnown = (subject: SchoolState | CarerState | null | undefined): boolean => subject != null && subject.status === 'registered';
const at = (iso: string): number => instantOf(iso);

/** New care work: refused on a closed file (graduated, transferred out, erased). */
const CARE_WORK: ReadonlySet<ChildEvent['type']> = new Set([
  'ArchiveUpdated',
  'GuardianshipChanged',
  'RiskFlagged',
  'PairingStarted',
  'CareActivityRecorded',
  'IncidentReported',
  'LeftBehindStatusResumed',
]);

function refuseByChildRules(command: RecordChildEvent, state: ChildState, context: ChildContext): Refusal | null {
  const { childId, event, metadata } = command;
  if (event.type === 'ChildRegistered') {
    if (state.status === 'registered') return refusal('already-registered', 'childId', `child ${childId} is already registered`);
    if (!isKnown(context.school)) return refusal('unknown-school', 'data.schoolId', `school ${event.data.schoolId} is not registered`);
    return refuseOtherSchool(metadata, event.data.schoolId, 'data.schoolId') ?? refuseBeforeBirth(event.occurredAt, event.data.birthMonth);
  }
  if (state.status === 'unregistered') return refusal('unknown-child', 'childId', `child ${childId} is not registered`);
  // The receiving school records the transfer in before the child is its pupil; every other event is the current school's.
  const transferIn = event.type === 'EnrollmentChanged' && event.data.change === 'transferred-in';
  const writer = transferIn ? refuseOtherSchool(metadata, event.data.schoolId, 'data.schoolId') : refuseOtherSchool(metadata, state.schoolId, 'childId');
  const early = writer ?? refuseBeforeBirth(event.occurredAt, state.birthMonth);
  if (early) return early;
  if (CARE_WORK.has(event.type)) {
    const closed = state.erased ? 'its personal data is erased' : state.enrollment === 'graduated' || state.enrollment === 'transferred-out' ? state.enrollment : null;
    if (closed) return refusal('closed-file', 'childId', `child ${childId}'s file is closed (${closed}): no new care work`);
  }
  return refuseByEventRules(childId, event, state, context);
}

function refuseBeforeBirth(occurredAt: string, birthMonth: string): Refusal | null {
  return at(occurredAt) < startOfMonth(birthMonth) ? refusal('before-birth', 'occurredAt', `occurredAt ${occurredAt} is before the birth month ${birthMonth}`) : null;
}

function refuseByEventRules(childId: string, event: Exclude<ChildEvent, { type: 'ChildRegistered' }>, file: ChildFile, context: ChildContext): Refusal | null {
  switch (event.type) {
    case 'ArchiveUpdated':
    case 'GuardianshipChanged':
      return null;
    case 'RiskFlagged':
      return file.openRiskFlags.includes(event.data.flag) ? refusal('risk-already-open', 'data.flag', `risk flag ${event.data.flag} is already open`) : null;
    case 'RiskCleared':
      return file.openRiskFlags.includes(event.data.flag) ? null : refusal('risk-not-open', 'data.flag', `risk flag ${event.data.flag} is not open`);
    case 'PairingStarted':
      return refusePairing(event.data.pairingId, event.data.carerId, event.occurredAt, file, context);
    case 'PairingEnded': {
      const pairing = file.pairings.find((p) => p.pairingId === event.data.pairingId);
      if (!pairing) return refusal('unknown-pairing', 'data.pairingId', `child ${childId} has no pairing ${event.data.pairingId}`);
      if (pairing.endedAt !== null) return refusal('pairing-already-ended', 'data.pairingId', `pairing ${pairing.pairingId} ended at ${pairing.endedAt}`);
      return at(event.occurredAt) < at(pairing.since)
        ? refusal('pairing-end-before-start', 'occurredAt', `pairing ${pairing.pairingId} started at ${pairing.since}`)
        : null;
    }
    case 'CareActivityRecorded': {
      const { activityId, carerId, homeId } = event.data;
      if (file.activities.some((a) => a.activityId === activityId)) return refusal('duplicate-id', 'data.activityId', `activity ${activityId} is already recorded`);
      if (carerId !== undefined) {
        const carer = refuseCarer(carerId, event.occurredAt, context);
        if (carer) return carer;
      }
      const homes = context.school?.status === 'registered' ? context.school.careHomes : [];
      return homeId !== undefined && !homes.some((h) => h.homeId === homeId)
        ? refusal('unknown-care-home', 'data.homeId', `the child's school has no care home ${homeId}`)
        : null;
    }
    case 'CareActivityVoided': {
      const activity = file.activities.find((a) => a.activityId === event.data.activityId);
      if (!activity) return refusal('unknown-activity', 'data.activityId', `child ${childId} has no activity ${event.data.activityId}`);
      return activity.voided ? refusal('already-voided', 'data.activityId', `activity ${activity.activityId} is already voided`) : null;
    }
    case 'IncidentReported':
      return file.incidents.some((i) => i.incidentId === event.data.incidentId)
        ? refusal('duplicate-id', 'data.incidentId', `incident ${event.data.incidentId} is already reported`)
        : null;
    case 'IncidentPartyNotified': {
      const incident = file.incidents.find((i) => i.incidentId === event.data.incidentId);
      if (!incident) return refusal('unknown-incident', 'data.incidentId', `child ${childId} has no incident ${event.data.incidentId}`);
      if (at(event.occurredAt) < at(incident.occurredAt)) {
        return refusal('notification-before-incident', 'occurredAt', `the incident occurred at ${incident.occurredAt}`);
      }
      return incident.notified.some((n) => n.party === event.data.party)
        ? refusal('party-already-notified', 'data.party', `${event.data.party} was already notified of incident ${incident.incidentId}`)
        : null;
    }
    case 'IncidentResolved': {
      const incident = file.incidents.find((i) => i.incidentId === event.data.incidentId);
      if (!incident) return refusal('unknown-incident', 'data.incidentId', `child ${childId} has no incident ${event.data.incidentId}`);
      if (incident.resolvedAt !== null) return refusal('already-resolved', 'data.incidentId', `incident ${incident.incidentId} was resolved at ${incident.resolvedAt}`);
      return at(event.occurredAt) < at(incident.occurredAt)
        ? refusal('resolution-before-incident', 'occurredAt', `the incident occurred at ${incident.occurredAt}`)
        : null;
    }
    case 'EnrollmentChanged':
      return refuseEnrollmentChange(event, file, context);
    case 'LeftBehindStatusEnded':
      return file.leftBehindActive ? null : refusal('left-behind-status-not-active', 'type', `child ${childId}'s left-behind status is not active`);
    case 'LeftBehindStatusResumed':
      return file.leftBehindActive ? refusal('left-behind-status-active', 'type', `child ${childId}'s left-behind status is already active`) : null;
    case 'PersonalDataErased':
      return file.erased ? refusal('already-erased', 'childId', `child ${childId}'s personal data is already erased`) : null;
    default:
      return unreachable('child event', event);
  }
}

function refuseCarer(carerId: string, occurredAt: string, context: ChildContext): Refusal | null {
  const carer = context.carer;
  if (carer == null || carer.status === 'unregistered') return refusal('unknown-carer', 'data.carerId', `carer ${carerId} is not registered`);
  return carer.retiredAt !== null && at(occurredAt) >= at(carer.retiredAt)
    ? refusal('carer-retired', 'data.carerId', `carer ${carerId} retired at ${carer.retiredAt}`)
    : null;
}

function refusePairing(pairingId: string, carerId: string, occurredAt: string, file: ChildFile, context: ChildContext): Refusal | null {
  if (file.pairings.some((p) => p.pairingId === pairingId)) return refusal('duplicate-id', 'data.pairingId', `pairing ${pairingId} already exists`);
  const carer = refuseCarer(carerId, occurredAt, context);
  if (carer) return carer;
  if (activePairings(file).some((p) => p.carerId === carerId)) {
    return refusal('duplicate-pairing', 'data.carerId', `carer ${carerId} is already paired with this child`);
  }
  const load = (context.carerActivePairings ?? 0) + 1;
  return load > context.maxCarerLoad
    ? refusal('carer-over-load', 'data.carerId', `carer ${carerId} would care for ${load} children; the county's maximum is ${context.maxCarerLoad}`)
    : null;
}

/**
 * The enrollment state machine: `transferred-out`, `dropped-out`, `graduated`, `promoted` need an
 * enrolled child at the recording school; `transferred-in` needs a transfer out of the school it
 * names as `otherSchoolId`, recorded by the school that transfer named; `returned` needs a prior
 * dropout and is recorded by the school the child dropped out of (DOMAIN.md "Rules": a return at
 * another school is that school's `returned` followed by a transfer). So no school can take over
 * another's child by an enrollment change alone.
 */
function refuseEnrollmentChange(event: EventOf<'EnrollmentChanged', EnrollmentChangedData>, file: ChildFile, context: ChildContext): Refusal | null {
  const { change, schoolId, otherSchoolId } = event.data;
  const invalid = (why: string, field = 'data.change') => refusal('invalid-enrollment-change', field, `${change}: ${why}`);
  if (!isKnown(context.school)) return refusal('unknown-school', 'data.schoolId', `school ${schoolId} is not registered`);
  const last = file.enrollmentHistory[file.enrollmentHistory.length - 1];
  switch (change) {
    case 'transferred-in':
      if (file.enrollment !== 'transferred-out') return invalid(`the child is ${file.enrollment}, not transferred out`);
      if (schoolId !== last.otherSchoolId) return refusal('other-school', 'data.schoolId', `the child was transferred out to school ${last.otherSchoolId ?? 'none'}`);
      return otherSchoolId === file.schoolId ? null : invalid(`the child was transferred out of ${file.schoolId}`, 'data.otherSchoolId');
    case 'returned':
      if (file.enrollment !== 'dropped-out') return invalid(`the child is ${file.enrollment}, not dropped out`);
      if (schoolId !== file.schoolId) return refusal('other-school', 'data.schoolId', `the child dropped out of school ${file.schoolId}`);
      return at(event.occurredAt) < at(last.occurredAt) ? invalid(`the child dropped out at ${last.occurredAt}`, 'occurredAt') : null;
    case 'transferred-out':
    case 'dropped-out':
    case 'graduated':
    case 'promoted':
      if (schoolId !== file.schoolId) return refusal('other-school', 'data.schoolId', `the child is at school ${file.schoolId}`);
      if (file.enrollment !== 'enrolled') return invalid(`the child is ${file.enrollment}`);
      return change === 'promoted' && file.grade >= 12 ? invalid('the child is in the last grade') : null;
    default:
      return unreachable('enrollment change', change);
  }
}
