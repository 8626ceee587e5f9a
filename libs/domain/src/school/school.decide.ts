import { refuseFutureOccurredAt, refuseOtherSchool } from '../command-metadata';
import type { CommandMetadata } from '../command-metadata';
import { withPersonalFields } from '../interchange/personal-fields';
import type { SchoolEvent, StoredSchoolEvent } from '../interchange/submitted-event';
import { refusal } from '../refusal';
import type { Refusal } from '../refusal';
import type { SchoolState } from './school.events';
import { unreachable } from '../unreachable';

/** Record a submitted school event: the interchange is event-shaped, each event a request to record a fact. */
export interface RecordSchoolEvent {
  readonly type: 'RecordSchoolEvent';
  readonly schoolId: string;
  readonly event: SchoolEvent;
  readonly metadata: CommandMetadata;
}

export type SchoolCommand = RecordSchoolEvent;

export function decideSchool(command: SchoolCommand, state: SchoolState): StoredSchoolEvent[] | Refusal {
  if (command.type === 'RecordSchoolEvent') return recordSchoolEvent(command, state);
  return unreachable('school command', command.type);
}

function recordSchoolEvent({ schoolId, event, metadata }: RecordSchoolEvent, state: SchoolState): StoredSchoolEvent[] | Refusal {
  const early = refuseFutureOccurredAt(event.occurredAt, metadata) ?? refuseOtherSchool(metadata, schoolId, 'schoolId');
  if (early) return early;
  const refused = refuseBySchoolRules(schoolId, event, state);
  if (refused) return refused;
  return [withPersonalFields({ type: event.type, occurredAt: event.occurredAt, data: event.data } as SchoolEvent)];
}

function refuseBySchoolRules(schoolId: string, event: SchoolEvent, state: SchoolState): Refusal | null {
  if (event.type === 'SchoolRegistered') {
    return state.status === 'registered' ? refusal('already-registered', 'schoolId', `school ${schoolId} is already registered`) : null;
  }
  if (state.status === 'unregistered') return refusal('unknown-school', 'schoolId', `school ${schoolId} is not registered`);
  switch (event.type) {
    case 'EnrollmentReported':
      return null;
    case 'CareHomeOpened':
      return state.careHomes.some((h) => h.homeId === event.data.homeId)
        ? refusal('duplicate-id', 'data.homeId', `care home ${event.data.homeId} is already open`)
        : null;
    case 'CareHomeActivityHeld':
      return state.careHomes.some((h) => h.homeId === event.data.homeId)
        ? null
        : refusal('unknown-care-home', 'data.homeId', `school ${schoolId} has no care home ${event.data.homeId}`);
    default:
      return unreachable('school event', event);
  }
}
