import type { CareHomeFacility, SchoolLevel } from '../interchange/enumerations';
import type { StoredSchoolEvent } from '../interchange/submitted-event';
import { unreachable } from '../unreachable';

export interface EnrollmentReport {
  readonly term: string;
  readonly totalPupils: number;
  readonly occurredAt: string;
}

export interface CareHome {
  readonly homeId: string;
  readonly name: string;
  readonly facilities: readonly CareHomeFacility[];
  readonly openedAt: string;
}

export interface CareHomeActivity {
  readonly homeId: string;
  readonly title: string;
  readonly participants: number;
  readonly occurredAt: string;
}

export interface RegisteredSchool {
  readonly status: 'registered';
  readonly registeredAt: string;
  readonly name: string;
  readonly countyId: string;
  readonly countyName: string;
  readonly townshipId: string;
  readonly townshipName: string;
  readonly level: SchoolLevel;
  readonly boarding: boolean;
  /** In stream order; the pupils denominator is the latest by `occurredAt` at or before asOf. */
  readonly enrollmentReports: readonly EnrollmentReport[];
  readonly careHomes: readonly CareHome[];
  readonly careHomeActivities: readonly CareHomeActivity[];
}

export type SchoolState = { readonly status: 'unregistered' } | RegisteredSchool;

export const initialSchoolState = (): SchoolState => ({ status: 'unregistered' });

export function evolveSchool(state: SchoolState, event: StoredSchoolEvent): SchoolState {
  const { type, occurredAt, data } = event;
  if (type === 'SchoolRegistered') {
    return { status: 'registered', registeredAt: occurredAt, ...data, enrollmentReports: [], careHomes: [], careHomeActivities: [] };
  }
  // Decide refuses every other event on an unregistered school: there is nothing to fold into.
  if (state.status === 'unregistered') return state;
  switch (type) {
    case 'EnrollmentReported':
      return { ...state, enrollmentReports: [...state.enrollmentReports, { term: data.term, totalPupils: data.totalPupils, occurredAt }] };
    case 'CareHomeOpened':
      return { ...state, careHomes: [...state.careHomes, { homeId: data.homeId, name: data.name, facilities: data.facilities, openedAt: occurredAt }] };
    case 'CareHomeActivityHeld':
      return {
        ...state,
        careHomeActivities: [...state.careHomeActivities, { homeId: data.homeId, title: data.title, participants: data.participants, occurredAt }],
      };
    default:
      return unreachable('school event', type);
  }
}
