import { withPersonalFields } from '../interchange/personal-fields';
import type { CarerEvent } from '../interchange/submitted-event';
import { evolveSchool, initialSchoolState } from '../school/school.events';
import { deciderSpecification } from '../testing/decider-specification';
import { decideCarer } from './carer.decide';
import type { CarerCommand, CarerContext } from './carer.decide';
import { evolveCarer, initialCarerState } from './carer.events';

const at = (time: string) => `2025-03-14T${time}:00.000+08:00`;
const spec = deciderSpecification({ decide: decideCarer, evolve: evolveCarer, initialState: initialCarerState });
const record = (event: CarerEvent, actingSchoolId: string | null = 'school-1'): CarerCommand => ({
  type: 'RecordCarerEvent',
  carerId: 'carer-1',
  event,
  metadata: { now: at('10:00'), actingSchoolId },
});
const school = evolveSchool(initialSchoolState(), {
  type: 'SchoolRegistered',
  occurredAt: at('08:00'),
  data: { name: 'S', countyId: 'c', countyName: 'C', townshipId: 't', townshipName: 'T', level: 'primary', boarding: false },
});
const context: CarerContext = { school };

const registered: CarerEvent = {
  type: 'CarerRegistered',
  occurredAt: at('08:30'),
  data: { schoolId: 'school-1', organisation: 'school', role: 'head-teacher', partyMember: true, personal: { name: '王老师', phone: '13800000000' } },
};
const volunteer: CarerEvent = {
  type: 'CarerRegistered',
  occurredAt: at('08:30'),
  data: { organisation: 'youth-league', role: 'volunteer', partyMember: false, personal: { name: '志愿者' } },
};
const retired: CarerEvent = { type: 'CarerRetired', occurredAt: at('09:00'), data: { reason: '调离' } };
const erased: CarerEvent = { type: 'PersonalDataErased', occurredAt: at('09:30'), data: { reason: '申请' } };
const given = (...events: CarerEvent[]) => spec.given(events.map(withPersonalFields), context);

describe('decideCarer', () => {
  it('records a registration with the paths of its personal fields', () => {
    const state = given().when(record(registered)).then([withPersonalFields(registered)]);
    expect(state).toEqual({
      status: 'registered',
      registeredAt: at('08:30'),
      schoolId: 'school-1',
      organisation: 'school',
      role: 'head-teacher',
      partyMember: true,
      retiredAt: null,
      erased: false,
      personalFields: ['name', 'phone'],
    });
  });

  it('records a carer of another organisation, with no school', () => {
    expect(spec.given([], { school: null }).when(record(volunteer)).then([withPersonalFields(volunteer)])).toMatchObject({ schoolId: null });
  });

  it('records retirement and erasure', () => {
    expect(given(registered).when(record(retired)).then([retired])).toMatchObject({ retiredAt: at('09:00') });
    expect(given(registered).when(record(erased)).then([erased])).toMatchObject({ erased: true, personalFields: ['name', 'phone'] });
  });

  it('refuses registering twice, at an unknown school, or for another school', () => {
    given(registered).when(record(registered)).thenRefuses('already-registered', 'carerId');
    spec.given([], { school: null }).when(record(registered)).thenRefuses('unknown-school', 'data.schoolId');
    given().when(record(registered, 'school-2')).thenRefuses('other-school', 'data.schoolId');
  });

  it('refuses events of an unknown carer, another school’s carer, a second retirement or erasure', () => {
    given().when(record(retired)).thenRefuses('unknown-carer', 'carerId');
    given(registered).when(record(retired, 'school-2')).thenRefuses('other-school', 'carerId');
    given(registered, retired).when(record(retired)).thenRefuses('carer-retired', 'carerId');
    given(registered, erased).when(record(erased)).thenRefuses('already-erased', 'carerId');
  });

  it('refuses a future occurredAt', () => {
    given(registered).when(record({ ...retired, occurredAt: at('10:06') })).thenRefuses('future-occurred-at', 'occurredAt');
  });
});
