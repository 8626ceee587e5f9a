import type { Fact } from '../facts/fact';
import type { FactRow } from '../facts/fact-entities';
import {
  ArchiveUpdateRow,
  CareActivityRow,
  CareActivityVoidRow,
  CareHomeActivityRow,
  CareHomeRow,
  CarerRetirementRow,
  CarerRow,
  ChildRegistrationRow,
  EnrollmentChangeRow,
  EnrollmentReportRow,
  GuardianshipChangeRow,
  IncidentNotificationRow,
  IncidentResolutionRow,
  IncidentRow,
  LeftBehindStatusChangeRow,
  PairingChangeRow,
  RiskFlagChangeRow,
  SchoolRow,
} from '../facts/fact-entities';
import type { ProjectedEvent } from './projected-event';
import { subjectIdOf } from './projected-event';

/** An event the projection cannot read: the store accepted something the read models do not know how to hold. */
export class ProjectionError extends Error {
  constructor(
    readonly eventId: string,
    readonly field: string,
    problem: string,
  ) {
    super(`event ${eventId}: ${field} ${problem}`);
  }
}

class Fields {
  constructor(private readonly event: ProjectedEvent) {}

  private value(name: string): unknown {
    return this.event.data[name];
  }

  private fail(name: string, problem: string): never {
    throw new ProjectionError(this.event.eventId, `data.${name}`, problem);
  }

  text(name: string): string {
    const value = this.value(name);
    return typeof value === 'string' ? value : this.fail(name, 'must be a string');
  }

  optionalText(name: string): string | null {
    return this.value(name) === undefined || this.value(name) === null ? null : this.text(name);
  }

  number(name: string): number {
    const value = this.value(name);
    return typeof value === 'number' && Number.isFinite(value) ? value : this.fail(name, 'must be a number');
  }

  optionalNumber(name: string): number | null {
    return this.value(name) === undefined || this.value(name) === null ? null : this.number(name);
  }

  boolean(name: string): boolean {
    const value = this.value(name);
    return typeof value === 'boolean' ? value : this.fail(name, 'must be a boolean');
  }

  texts(name: string): string[] {
    const value = this.value(name) ?? [];
    return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : this.fail(name, 'must be a list of strings');
  }
}

function fact<T extends Fact>(Row: new () => T, event: ProjectedEvent, fields: Omit<T, keyof Fact>): T {
  // Assigned one by one rather than spread into a literal first: one object fewer per event.
  const row = Object.assign(new Row(), fields);
  row.eventId = event.eventId;
  row.globalPosition = event.globalPosition;
  row.occurredAt = event.occurredAt;
  row.recordedAt = event.recordedAt;
  return row;
}

/**
 * The read-model fact one event contributes, or null for events that change no figure
 * (`PersonalDataErased`). Reads only the named non-personal fields, so `data.personal` could
 * never reach a table even if it were present. Unknown types are an error: a projection that
 * silently skipped a new event type would print wrong figures.
 */
export function factOf(event: ProjectedEvent): FactRow | null {
  const f = new Fields(event);
  const subjectId = subjectIdOf(event.streamId);
  const childId = subjectId;
  switch (event.type) {
    case 'SchoolRegistered':
      return fact(SchoolRow, event, {
        schoolId: subjectId,
        name: f.text('name'),
        countyId: f.text('countyId'),
        countyName: f.text('countyName'),
        townshipId: f.text('townshipId'),
        townshipName: f.text('townshipName'),
        level: f.text('level'),
        boarding: f.boolean('boarding'),
      });
    case 'EnrollmentReported':
      return fact(EnrollmentReportRow, event, { schoolId: subjectId, term: f.text('term'), totalPupils: f.number('totalPupils') });
    case 'CareHomeOpened':
      return fact(CareHomeRow, event, { schoolId: subjectId, homeId: f.text('homeId'), name: f.text('name'), facilities: f.texts('facilities') });
    case 'CareHomeActivityHeld':
      return fact(CareHomeActivityRow, event, { schoolId: subjectId, homeId: f.text('homeId'), participants: f.number('participants') });
    case 'CarerRegistered':
      return fact(CarerRow, event, {
        carerId: subjectId,
        schoolId: f.optionalText('schoolId'),
        organisation: f.text('organisation'),
        role: f.text('role'),
        partyMember: f.boolean('partyMember'),
      });
    case 'CarerRetired':
      return fact(CarerRetirementRow, event, { carerId: subjectId });
    case 'ChildRegistered':
      return fact(ChildRegistrationRow, event, {
        childId,
        schoolId: f.text('schoolId'),
        grade: f.number('grade'),
        className: f.text('className'),
        category: f.text('category'),
        parentsAway: f.text('parentsAway'),
        guardianType: f.text('guardianType'),
        personalFields: f.texts('personalFields'),
      });
    case 'ArchiveUpdated':
      return fact(ArchiveUpdateRow, event, {
        childId,
        grade: f.optionalNumber('grade'),
        className: f.optionalText('className'),
        parentsAway: f.optionalText('parentsAway'),
        personalFields: f.texts('personalFields'),
      });
    case 'GuardianshipChanged':
      return fact(GuardianshipChangeRow, event, { childId, guardianType: f.text('guardianType'), personalFields: f.texts('personalFields') });
    case 'EnrollmentChanged':
      return fact(EnrollmentChangeRow, event, {
        childId,
        change: f.text('change'),
        schoolId: f.text('schoolId'),
        otherSchoolId: f.optionalText('otherSchoolId'),
      });
    case 'LeftBehindStatusEnded':
      return fact(LeftBehindStatusChangeRow, event, { childId, change: 'ended', reason: f.text('reason'), parentsAway: null });
    case 'LeftBehindStatusResumed':
      return fact(LeftBehindStatusChangeRow, event, { childId, change: 'resumed', reason: null, parentsAway: f.text('parentsAway') });
    case 'RiskFlagged':
      return fact(RiskFlagChangeRow, event, { childId, flag: f.text('flag'), change: 'flagged' });
    case 'RiskCleared':
      return fact(RiskFlagChangeRow, event, { childId, flag: f.text('flag'), change: 'cleared' });
    case 'PairingStarted':
      return fact(PairingChangeRow, event, { childId, pairingId: f.text('pairingId'), change: 'started', carerId: f.text('carerId'), role: f.text('role') });
    case 'PairingEnded':
      return fact(PairingChangeRow, event, { childId, pairingId: f.text('pairingId'), change: 'ended', carerId: null, role: null });
    case 'CareActivityRecorded':
      return fact(CareActivityRow, event, {
        childId,
        activityId: f.text('activityId'),
        kind: f.text('kind'),
        schoolId: event.metadata.schoolId,
        carerId: f.optionalText('carerId'),
        minutes: f.optionalNumber('minutes'),
        amountYuan: f.optionalNumber('amountYuan'),
        homeId: f.optionalText('homeId'),
      });
    case 'CareActivityVoided':
      return fact(CareActivityVoidRow, event, { childId, activityId: f.text('activityId') });
    case 'IncidentReported':
      return fact(IncidentRow, event, { childId, incidentId: f.text('incidentId'), kind: f.text('kind'), severity: f.text('severity') });
    case 'IncidentPartyNotified':
      return fact(IncidentNotificationRow, event, { childId, incidentId: f.text('incidentId'), party: f.text('party') });
    case 'IncidentResolved':
      return fact(IncidentResolutionRow, event, { childId, incidentId: f.text('incidentId'), outcome: f.text('outcome') });
    case 'PersonalDataErased':
      return null;
    default:
      throw new ProjectionError(event.eventId, 'type', `is unknown to the read models: ${event.type}`);
  }
}
