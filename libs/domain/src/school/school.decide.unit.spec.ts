import type { SchoolEvent } from '../interchange/submitted-event';
import { deciderSpecification } from '../testing/decider-specification';
import { decideSchool } from './school.decide';
import type { SchoolCommand } from './school.decide';
import { evolveSchool, initialSchoolState } from './school.events';

const at = (time: string) => `2025-03-14T${time}:00.000+08:00`;
const spec = deciderSpecification({ decide: (command: SchoolCommand, state) => decideSchool(command, state), evolve: evolveSchool, initialState: initialSchoolState });
const record = (event: SchoolEvent, actingSchoolId: string | null = 'school-1'): SchoolCommand => ({
  type: 'RecordSchoolEvent',
  schoolId: 'school-1',
  event,
  metadata: { now: at('10:00'), actingSchoolId },
});

const registered: SchoolEvent = {
  type: 'SchoolRegistered',
  occurredAt: at('08:00'),
  data: { name: '姚渡学校', countyId: 'c', countyName: '旺苍县', townshipId: 't', townshipName: '姚渡镇', level: 'nine-year', boarding: true },
};
const opened: SchoolEvent = { type: 'CareHomeOpened', occurredAt: at('08:30'), data: { homeId: 'home-1', name: '之家', facilities: ['tv', 'books'] } };
const held: SchoolEvent = { type: 'CareHomeActivityHeld', occurredAt: at('09:00'), data: { homeId: 'home-1', title: '读书', participants: 20 } };
const reported: SchoolEvent = { type: 'EnrollmentReported', occurredAt: at('09:00'), data: { term: '2025-spring', totalPupils: 812 } };

describe('decideSchool', () => {
  it('records every event type and folds it', () => {
    const state = spec.given([], null).when(record(registered, null)).then([registered]);
    expect(state).toMatchObject({ status: 'registered', name: '姚渡学校', countyId: 'c', townshipId: 't', level: 'nine-year', boarding: true, registeredAt: at('08:00') });
    expect(spec.given([registered], null).when(record(reported)).then([reported])).toMatchObject({
      enrollmentReports: [{ term: '2025-spring', totalPupils: 812, occurredAt: at('09:00') }],
    });
    expect(spec.given([registered], null).when(record(opened)).then([opened])).toMatchObject({
      careHomes: [{ homeId: 'home-1', name: '之家', facilities: ['tv', 'books'], openedAt: at('08:30') }],
    });
    expect(spec.given([registered, opened], null).when(record(held)).then([held])).toMatchObject({
      careHomeActivities: [{ homeId: 'home-1', title: '读书', participants: 20, occurredAt: at('09:00') }],
    });
  });

  it('refuses registering twice', () => {
    spec.given([registered], null).when(record(registered)).thenRefuses('already-registered', 'schoolId');
  });

  it('refuses events of an unknown school', () => {
    spec.given([], null).when(record(reported)).thenRefuses('unknown-school', 'schoolId');
  });

  it('refuses another school’s user', () => {
    spec.given([registered], null).when(record(reported, 'school-2')).thenRefuses('other-school', 'schoolId');
  });

  it('refuses a future occurredAt', () => {
    spec.given([registered], null).when(record({ ...reported, occurredAt: at('10:06') })).thenRefuses('future-occurred-at', 'occurredAt');
  });

  it('refuses opening a care home twice and activities at an unknown one', () => {
    spec.given([registered, opened], null).when(record(opened)).thenRefuses('duplicate-id', 'data.homeId');
    spec.given([registered], null).when(record(held)).thenRefuses('unknown-care-home', 'data.homeId');
  });
});
