import type {
  ActivityKind,
  CarerRole,
  ChildCategory,
  EnrollmentChange,
  Gender,
  GuardianType,
  IncidentKind,
  IncidentParty,
  IncidentSeverity,
  ParentsAway,
  RiskFlag,
} from '../interchange/enumerations';
import type { StoredChildEvent } from '../interchange/submitted-event';
import { unreachable } from '../unreachable';

export type EnrollmentStatus = 'enrolled' | 'dropped-out' | 'transferred-out' | 'graduated';

/** One step of the child's school career; `registered` is the `ChildRegistered` at `schoolId`. */
export interface EnrollmentEntry {
  readonly change: 'registered' | EnrollmentChange;
  readonly occurredAt: string;
  /** The school that recorded the change. */
  readonly schoolId: string;
  readonly otherSchoolId: string | null;
}

export interface Pairing {
  readonly pairingId: string;
  readonly carerId: string;
  readonly role: CarerRole;
  readonly since: string;
  /** null while the pairing is active (a retired carer's pairings end too: see `isPairingActive`). */
  readonly endedAt: string | null;
  /** `PairingEnded`'s reason, or `PAIRING_END_LEFT_CARE` when the child stopped being in care. */
  readonly endReason: string | null;
}

/** A pairing lasts only while the child is in care (INDICATORS.md "Who counts"). */
export const PAIRING_END_LEFT_CARE = 'child-left-care';

export interface Activity {
  readonly activityId: string;
  readonly kind: ActivityKind;
  readonly occurredAt: string;
  readonly carerId: string | null;
  readonly minutes: number | null;
  readonly amountYuan: number | null;
  readonly homeId: string | null;
  readonly voided: boolean;
}

export interface PartyNotification {
  readonly party: IncidentParty;
  readonly occurredAt: string;
}

export interface Incident {
  readonly incidentId: string;
  readonly kind: IncidentKind;
  readonly severity: IncidentSeverity;
  readonly occurredAt: string;
  readonly notified: readonly PartyNotification[];
  readonly resolvedAt: string | null;
  readonly outcome: string | null;
}

/** A registered child's file (一人一档) without personal data. */
export interface ChildFile {
  readonly status: 'registered';
  readonly registeredAt: string;
  /** The school the child is (or was last) enrolled at: changes on `transferred-in` and `returned`. */
  readonly schoolId: string;
  readonly grade: number;
  readonly className: string;
  readonly gender: Gender;
  /** `YYYY-MM`. */
  readonly birthMonth: string;
  readonly category: ChildCategory;
  readonly parentsAway: ParentsAway;
  readonly awaySince: string | null;
  readonly guardianType: GuardianType;
  readonly enrollment: EnrollmentStatus;
  readonly enrollmentHistory: readonly EnrollmentEntry[];
  /** Left-behind status: active from registration until `LeftBehindStatusEnded`, again after `…Resumed`. */
  readonly leftBehindActive: boolean;
  readonly openRiskFlags: readonly RiskFlag[];
  /** Every pairing ever started, ended ones included. */
  readonly pairings: readonly Pairing[];
  readonly activities: readonly Activity[];
  readonly incidents: readonly Incident[];
  readonly erased: boolean;
  /**
   * Paths of the personal fields of the archive as it stands (or stood before erasure), merged
   * across `ChildRegistered`, `ArchiveUpdated` and `GuardianshipChanged`.
   */
  readonly personalFields: readonly string[];
}

export type ChildState = { readonly status: 'unregistered' } | ChildFile;

export const initialChildState = (): ChildState => ({ status: 'unregistered' });

const topLevelKey = (path: string): string => /^[^.[]+/.exec(path)?.[0] ?? path;

/**
 * Replaces the personal fields under each top-level key that `update` mentions. Every given
 * top-level field yields at least one path (the interchange schema refuses empty values and empty
 * `parents`), so the keys of the update are exactly the keys of its paths.
 */
export function mergePersonalFields(current: readonly string[], update: readonly string[], cleared: readonly string[] = []): string[] {
  const replaced = new Set([...update.map(topLevelKey), ...cleared]);
  return [...current.filter((path) => !replaced.has(topLevelKey(path))), ...update].sort();
}

export function evolveChild(state: ChildState, event: StoredChildEvent): ChildState {
  if (event.type === 'ChildRegistered') {
    const { data } = event;
    return {
      status: 'registered',
      registeredAt: event.occurredAt,
      schoolId: data.schoolId,
      grade: data.grade,
      className: data.className,
      gender: data.gender,
      birthMonth: data.birthMonth,
      category: data.category,
      parentsAway: data.parentsAway,
      awaySince: data.awaySince ?? null,
      guardianType: data.guardianType,
      enrollment: 'enrolled',
      enrollmentHistory: [{ change: 'registered', occurredAt: event.occurredAt, schoolId: data.schoolId, otherSchoolId: null }],
      leftBehindActive: true,
      openRiskFlags: [],
      pairings: [],
      activities: [],
      incidents: [],
      erased: false,
      personalFields: [...(data.personalFields ?? [])].sort(),
    };
  }
  // Decide refuses every other event on an unregistered child: there is nothing to fold into.
  if (state.status === 'unregistered') return state;
  const next = evolveFile(state, event);
  return isInCare(state) && !isInCare(next) ? endPairings(next, event.occurredAt) : next;
}

function endPairings(file: ChildFile, at: string): ChildFile {
  return {
    ...file,
    pairings: file.pairings.map((p) => (p.endedAt === null ? { ...p, endedAt: at, endReason: PAIRING_END_LEFT_CARE } : p)),
  };
}

function evolveFile(file: ChildFile, event: Exclude<StoredChildEvent, { type: 'ChildRegistered' }>): ChildFile {
  const { occurredAt } = event;
  switch (event.type) {
    case 'ArchiveUpdated': {
      const { grade, className, parentsAway, awaySince, personalFields } = event.data;
      return {
        ...file,
        grade: grade ?? file.grade,
        className: className ?? file.className,
        parentsAway: parentsAway ?? file.parentsAway,
        awaySince: awaySince ?? file.awaySince,
        personalFields: mergePersonalFields(file.personalFields, personalFields ?? []),
      };
    }
    case 'GuardianshipChanged':
      // The event states the new guardianship whole: without a guardian, the old one's fields go.
      return {
        ...file,
        guardianType: event.data.guardianType,
        personalFields: mergePersonalFields(file.personalFields, event.data.personalFields ?? [], ['guardian']),
      };
    case 'RiskFlagged':
      return file.openRiskFlags.includes(event.data.flag) ? file : { ...file, openRiskFlags: [...file.openRiskFlags, event.data.flag] };
    case 'RiskCleared':
      return { ...file, openRiskFlags: file.openRiskFlags.filter((flag) => flag !== event.data.flag) };
    case 'PairingStarted': {
      const { pairingId, carerId, role } = event.data;
      return { ...file, pairings: [...file.pairings, { pairingId, carerId, role, since: occurredAt, endedAt: null, endReason: null }] };
    }
    case 'PairingEnded':
      return {
        ...file,
        pairings: file.pairings.map((p) =>
          p.pairingId === event.data.pairingId && p.endedAt === null ? { ...p, endedAt: occurredAt, endReason: event.data.reason } : p,
        ),
      };
    case 'CareActivityRecorded': {
      const { activityId, kind, carerId, minutes, amountYuan, homeId } = event.data;
      const activity: Activity = {
        activityId,
        kind,
        occurredAt,
        carerId: carerId ?? null,
        minutes: minutes ?? null,
        amountYuan: amountYuan ?? null,
        homeId: homeId ?? null,
        voided: false,
      };
      return { ...file, activities: [...file.activities, activity] };
    }
    case 'CareActivityVoided':
      return { ...file, activities: file.activities.map((a) => (a.activityId === event.data.activityId ? { ...a, voided: true } : a)) };
    case 'IncidentReported': {
      const { incidentId, kind, severity } = event.data;
      return { ...file, incidents: [...file.incidents, { incidentId, kind, severity, occurredAt, notified: [], resolvedAt: null, outcome: null }] };
    }
    case 'IncidentPartyNotified':
      return updateIncident(file, event.data.incidentId, (i) => ({ ...i, notified: [...i.notified, { party: event.data.party, occurredAt }] }));
    case 'IncidentResolved':
      return updateIncident(file, event.data.incidentId, (i) => ({ ...i, resolvedAt: occurredAt, outcome: event.data.outcome }));
    case 'EnrollmentChanged': {
      const { change, schoolId, otherSchoolId } = event.data;
      const history = [...file.enrollmentHistory, { change, occurredAt, schoolId, otherSchoolId: otherSchoolId ?? null }];
      const moved = { ...file, enrollmentHistory: history };
      switch (change) {
        case 'transferred-out':
        case 'dropped-out':
        case 'graduated':
          return { ...moved, enrollment: change };
        case 'transferred-in':
        case 'returned':
          return { ...moved, enrollment: 'enrolled', schoolId };
        case 'promoted':
          return { ...moved, grade: Math.min(file.grade + 1, 12) };
        default:
          return unreachable('enrollment change', change);
      }
    }
    case 'LeftBehindStatusEnded':
      return { ...file, leftBehindActive: false };
    case 'LeftBehindStatusResumed':
      return { ...file, leftBehindActive: true, parentsAway: event.data.parentsAway, awaySince: event.data.awaySince ?? file.awaySince };
    case 'PersonalDataErased':
      return { ...file, erased: true };
    default:
      return unreachable('child event', event);
  }
}

function updateIncident(file: ChildFile, incidentId: string, update: (incident: Incident) => Incident): ChildFile {
  return { ...file, incidents: file.incidents.map((i) => (i.incidentId === incidentId ? update(i) : i)) };
}

/**
 * Enrolled, and either not in the `left-behind` category or with an active left-behind status
 * (INDICATORS.md "Who counts"). Whether the school is in a given scope is the read model's question.
 * Here, beside `evolveChild`, because the fold ends pairings when a child leaves care; the queries
 * import the state, never the other way round.
 */
export function isInCare(child: ChildState): child is ChildFile {
  return child.status === 'registered' && child.enrollment === 'enrolled' && (child.category !== 'left-behind' || child.leftBehindActive);
}
