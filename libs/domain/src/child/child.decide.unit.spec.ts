import { evolveCarer, initialCarerState } from '../carer/carer.events';
import type { CarerState } from '../carer/carer.events';
import { withPersonalFields } from '../interchange/personal-fields';
import type { ChildEvent, StoredChildEvent } from '../interchange/submitted-event';
import type { ChildRegisteredData } from '../interchange/submitted-event.schema';
import { evolveSchool, initialSchoolState } from '../school/school.events';
import type { SchoolState } from '../school/school.events';
import { deciderSpecification } from '../testing/decider-specification';
import { decideChild } from './child.decide';
import type { ChildContext, ChildCommand } from './child.decide';
import { evolveChild, initialChildState, PAIRING_END_LEFT_CARE } from './child.events';
import type { ChildFile, ChildState } from './child.events';

const NOW = '2025-03-14T10:00:00.000+08:00';
const at = (time: string) => `2025-03-14T${time}:00.000+08:00`;

const school = (id: string): SchoolState =>
  [
    { type: 'SchoolRegistered' as const, occurredAt: at('08:00'), data: { name: id, countyId: 'c', countyName: 'C', townshipId: 't', townshipName: 'T', level: 'primary' as const, boarding: false } },
    { type: 'CareHomeOpened' as const, occurredAt: at('08:00'), data: { homeId: 'home-1', name: '之家', facilities: [] } },
  ].reduce(evolveSchool, initialSchoolState());
const carer: CarerState = evolveCarer(initialCarerState(), {
  type: 'CarerRegistered',
  occurredAt: at('08:00'),
  data: { schoolId: 'school-1', organisation: 'school', role: 'head-teacher', partyMember: false, personalFields: ['name'] },
});
const retiredCarer = evolveCarer(carer, { type: 'CarerRetired', occurredAt: at('09:00'), data: { reason: '退休' } });

const context: ChildContext = { school: school('school-1'), carer, carerActivePairings: 0, maxCarerLoad: 3 };

const registrationData: ChildRegisteredData = {
  schoolId: 'school-1',
  grade: 4,
  className: '四(1)班',
  gender: 'female',
  birthMonth: '2015-06',
  category: 'left-behind',
  parentsAway: 'both',
  guardianType: 'grandparent',
  personal: {
    name: '李小花',
    homeAddress: '某村',
    guardian: { name: '李大爷', relation: '祖父', phone: '13900000000' },
    parents: [{ relation: 'father', phone: '13700000000', workCity: '广州' }],
  },
};
const registered: ChildEvent = { type: 'ChildRegistered', occurredAt: at('08:30'), data: registrationData };
const stored = (event: ChildEvent): StoredChildEvent => withPersonalFields(event);
const given = (...events: ChildEvent[]) => ({ events: [registered, ...events].map(stored), context });

const pairing = (pairingId = 'pairing-1', carerId = 'carer-1'): ChildEvent => ({
  type: 'PairingStarted',
  occurredAt: at('09:00'),
  data: { pairingId, carerId, role: 'head-teacher' },
});
const activity = (kind: 'talk' | 'aid' = 'talk', activityId = 'activity-1'): ChildEvent => ({
  type: 'CareActivityRecorded',
  occurredAt: at('09:10'),
  data: { activityId, kind, carerId: 'carer-1', ...(kind === 'aid' ? { amountYuan: 200 } : {}) },
});
const incident: ChildEvent = { type: 'IncidentReported', occurredAt: at('09:00'), data: { incidentId: 'incident-1', kind: 'injury', severity: 'high' } };
const enrollment = (change: 'transferred-out' | 'transferred-in' | 'dropped-out' | 'returned' | 'graduated' | 'promoted', schoolId = 'school-1', otherSchoolId?: string, occurredAt = at('09:00')): ChildEvent => ({
  type: 'EnrollmentChanged',
  occurredAt,
  data: { change, schoolId, ...(otherSchoolId ? { otherSchoolId } : {}) },
});

const spec = deciderSpecification({ decide: decideChild, evolve: evolveChild, initialState: initialChildState });
const record = (event: ChildEvent, actingSchoolId: string | null = 'school-1'): ChildCommand => ({
  type: 'RecordChildEvent',
  childId: 'child-1',
  event,
  metadata: { now: NOW, actingSchoolId },
});
const scenario = (g: { events: StoredChildEvent[]; context: ChildContext }, event: ChildEvent, actingSchoolId?: string | null) =>
  spec.given(g.events, g.context).when(record(event, actingSchoolId));
const accepts = (g: { events: StoredChildEvent[]; context: ChildContext }, event: ChildEvent, actingSchoolId?: string | null): ChildFile => {
  const state: ChildState = scenario(g, event, actingSchoolId).then([stored(event)]);
  if (state.status !== 'registered') throw new Error('not registered');
  return state;
};

describe('decideChild: every event type is recorded', () => {
  it('ChildRegistered opens the file with the archive field paths, enrolled, left-behind status active', () => {
    const file = accepts({ events: [], context }, registered);
    expect(file).toMatchObject({
      schoolId: 'school-1',
      registeredAt: at('08:30'),
      enrollment: 'enrolled',
      leftBehindActive: true,
      birthMonth: '2015-06',
      personalFields: ['guardian.name', 'guardian.phone', 'guardian.relation', 'homeAddress', 'name', 'parents[0].phone', 'parents[0].relation', 'parents[0].workCity'],
    });
    expect(file.enrollmentHistory).toEqual([{ change: 'registered', occurredAt: at('08:30'), schoolId: 'school-1', otherSchoolId: null }]);
  });

  it('ArchiveUpdated changes given fields and replaces the personal fields it names', () => {
    const file = accepts(given(), {
      type: 'ArchiveUpdated',
      occurredAt: at('09:00'),
      data: { grade: 5, personal: { parents: [{ relation: 'mother', name: '王母' }] } },
    });
    expect(file.grade).toBe(5);
    expect(file.className).toBe('四(1)班');
    expect(file.personalFields).toEqual(['guardian.name', 'guardian.phone', 'guardian.relation', 'homeAddress', 'name', 'parents[0].name', 'parents[0].relation']);
  });

  it('GuardianshipChanged sets the type and replaces the guardian', () => {
    const file = accepts(given(), { type: 'GuardianshipChanged', occurredAt: at('09:00'), data: { guardianType: 'relative', personal: { guardian: { name: '张姨', relation: '姨妈' } } } });
    expect(file.guardianType).toBe('relative');
    expect(file.personalFields.filter((p) => p.startsWith('guardian'))).toEqual(['guardian.name', 'guardian.relation']);
    const without = accepts(given(), { type: 'GuardianshipChanged', occurredAt: at('09:00'), data: { guardianType: 'none' } });
    expect(without.personalFields.some((p) => p.startsWith('guardian'))).toBe(false);
  });

  it('RiskFlagged opens a flag and RiskCleared closes it', () => {
    const flag: ChildEvent = { type: 'RiskFlagged', occurredAt: at('09:00'), data: { flag: 'psychological' } };
    expect(accepts(given(), flag).openRiskFlags).toEqual(['psychological']);
    expect(accepts(given(flag), { type: 'RiskCleared', occurredAt: at('09:05'), data: { flag: 'psychological' } }).openRiskFlags).toEqual([]);
  });

  it('PairingStarted adds an active pairing; PairingEnded ends it', () => {
    expect(accepts(given(), pairing()).pairings).toEqual([{ pairingId: 'pairing-1', carerId: 'carer-1', role: 'head-teacher', since: at('09:00'), endedAt: null, endReason: null }]);
    const ended = accepts(given(pairing()), { type: 'PairingEnded', occurredAt: at('09:30'), data: { pairingId: 'pairing-1', reason: '调离' } });
    expect(ended.pairings[0]).toMatchObject({ endedAt: at('09:30'), endReason: '调离' });
  });

  it('CareActivityRecorded adds an activity; CareActivityVoided voids it', () => {
    const recorded = accepts(given(), {
      type: 'CareActivityRecorded',
      occurredAt: at('09:10'),
      data: { activityId: 'activity-1', kind: 'aid', carerId: 'carer-1', amountYuan: 200, homeId: 'home-1', personal: { notes: '冬衣' } },
    });
    expect(recorded.activities).toEqual([
      { activityId: 'activity-1', kind: 'aid', occurredAt: at('09:10'), carerId: 'carer-1', minutes: null, amountYuan: 200, homeId: 'home-1', voided: false },
    ]);
    expect(recorded.personalFields).not.toContain('notes');
    const voided = accepts(given(activity()), { type: 'CareActivityVoided', occurredAt: at('09:20'), data: { activityId: 'activity-1', reason: '重复' } });
    expect(voided.activities[0].voided).toBe(true);
  });

  it('IncidentReported, IncidentPartyNotified and IncidentResolved follow the incident', () => {
    expect(accepts(given(), incident).incidents[0]).toMatchObject({ incidentId: 'incident-1', kind: 'injury', severity: 'high', notified: [], resolvedAt: null });
    const notified = accepts(given(incident), { type: 'IncidentPartyNotified', occurredAt: at('09:20'), data: { incidentId: 'incident-1', party: 'guardian' } });
    expect(notified.incidents[0].notified).toEqual([{ party: 'guardian', occurredAt: at('09:20') }]);
    const resolved = accepts(given(incident), { type: 'IncidentResolved', occurredAt: at('09:50'), data: { incidentId: 'incident-1', outcome: '康复' } });
    expect(resolved.incidents[0]).toMatchObject({ resolvedAt: at('09:50'), outcome: '康复' });
  });

  it('EnrollmentChanged: transfer out, then in at the new school', () => {
    const out = accepts(given(), enrollment('transferred-out', 'school-1', 'school-2'));
    expect(out.enrollment).toBe('transferred-out');
    const inContext = { ...context, school: school('school-2') };
    const moved = accepts({ events: given(enrollment('transferred-out', 'school-1', 'school-2')).events, context: inContext }, enrollment('transferred-in', 'school-2', 'school-1', at('09:30')), 'school-2');
    expect(moved).toMatchObject({ enrollment: 'enrolled', schoolId: 'school-2' });
    expect(moved.enrollmentHistory.map((e) => e.change)).toEqual(['registered', 'transferred-out', 'transferred-in']);
  });

  it('EnrollmentChanged: dropped out, then returned at the school it dropped out of', () => {
    expect(accepts(given(), enrollment('dropped-out')).enrollment).toBe('dropped-out');
    const back = accepts(given(enrollment('dropped-out')), enrollment('returned', 'school-1', undefined, at('09:30')));
    expect(back).toMatchObject({ enrollment: 'enrolled', schoolId: 'school-1' });
  });

  it('EnrollmentChanged: graduated and promoted', () => {
    expect(accepts(given(), enrollment('graduated')).enrollment).toBe('graduated');
    expect(accepts(given(), enrollment('promoted'))).toMatchObject({ enrollment: 'enrolled', grade: 5 });
  });

  it('LeftBehindStatusEnded and LeftBehindStatusResumed switch the status', () => {
    const ended: ChildEvent = { type: 'LeftBehindStatusEnded', occurredAt: at('09:00'), data: { reason: 'parents-returned' } };
    expect(accepts(given(), ended).leftBehindActive).toBe(false);
    const resumed = accepts(given(ended), { type: 'LeftBehindStatusResumed', occurredAt: at('09:30'), data: { parentsAway: 'mother', awaySince: '2025-03-01' } });
    expect(resumed).toMatchObject({ leftBehindActive: true, parentsAway: 'mother', awaySince: '2025-03-01' });
  });

  it('PersonalDataErased marks the file erased and keeps the field paths (no figure changes)', () => {
    const file = accepts(given(), { type: 'PersonalDataErased', occurredAt: at('09:00'), data: { reason: '申请' } });
    expect(file.erased).toBe(true);
    expect(file.personalFields).toContain('guardian.phone');
  });

  it('a platform admin may write to any school’s child', () => {
    accepts(given(), activity(), null);
  });
});

describe('decideChild: refusals', () => {
  it('unknown child', () => {
    scenario({ events: [], context }, activity()).thenRefuses('unknown-child', 'childId');
  });

  it('registering a child again', () => {
    scenario(given(), registered).thenRefuses('already-registered', 'childId');
  });

  it('registering at an unknown school or for another school', () => {
    scenario({ events: [], context: { ...context, school: null } }, registered).thenRefuses('unknown-school', 'data.schoolId');
    scenario({ events: [], context: { ...context, school: initialSchoolState() } }, registered).thenRefuses('unknown-school', 'data.schoolId');
    scenario({ events: [], context }, registered, 'school-2').thenRefuses('other-school', 'data.schoolId');
  });

  it('a child of another school', () => {
    scenario(given(), activity(), 'school-2').thenRefuses('other-school', 'childId');
    scenario(given(), enrollment('dropped-out', 'school-2'), null).thenRefuses('other-school', 'data.schoolId');
  });

  it('occurredAt more than 5 minutes after now; exactly 5 minutes is fine', () => {
    scenario(given(), { ...activity(), occurredAt: '2025-03-14T10:05:00.001+08:00' }).thenRefuses('future-occurred-at', 'occurredAt');
    scenario(given(), { ...activity(), occurredAt: '2025-03-14T02:06:00.000+00:00' }).thenRefuses('future-occurred-at', 'occurredAt');
    accepts(given(), { ...activity(), occurredAt: '2025-03-14T10:05:00.000+08:00' });
  });

  it('occurredAt before the birth month', () => {
    scenario({ events: [], context }, { ...registered, occurredAt: '2015-05-31T23:59:59.999+08:00' }).thenRefuses('before-birth', 'occurredAt');
    scenario(given(), { ...activity(), occurredAt: '2015-05-31T15:59:59.999+00:00' }).thenRefuses('before-birth', 'occurredAt');
    accepts(given(), { ...activity(), occurredAt: '2015-06-01T00:00:00.000+08:00' });
  });

  it.each([
    ['graduated', [enrollment('graduated')]],
    ['transferred out', [enrollment('transferred-out', 'school-1', 'school-9')]],
    ['erased', [{ type: 'PersonalDataErased', occurredAt: at('08:40'), data: { reason: '申请' } } as ChildEvent]],
  ])('new care work on a closed file (%s)', (_why, history) => {
    for (const work of [activity(), pairing(), incident, { type: 'RiskFlagged', occurredAt: at('09:30'), data: { flag: 'safety' } } as ChildEvent]) {
      scenario(given(...history), work).thenRefuses('closed-file', 'childId');
    }
  });

  it('closing work on a closed file is still recorded', () => {
    accepts(given(activity(), enrollment('graduated', 'school-1', undefined, at('09:20'))), { type: 'CareActivityVoided', occurredAt: at('09:30'), data: { activityId: 'activity-1', reason: '错录' } });
  });

  it('a second active pairing of the same carer', () => {
    scenario(given(pairing()), pairing('pairing-2')).thenRefuses('duplicate-pairing', 'data.carerId');
    const ended: ChildEvent = { type: 'PairingEnded', occurredAt: at('09:10'), data: { pairingId: 'pairing-1', reason: '结束' } };
    accepts(given(pairing(), ended), { ...pairing('pairing-2'), occurredAt: at('09:20') });
  });

  it('a carer above the county’s maximum load', () => {
    scenario({ ...given(), context: { ...context, carerActivePairings: 3 } }, pairing()).thenRefuses('carer-over-load', 'data.carerId');
    accepts({ ...given(), context: { ...context, carerActivePairings: 2 } }, pairing());
  });

  it('an unknown or retired carer', () => {
    scenario({ ...given(), context: { ...context, carer: null } }, pairing()).thenRefuses('unknown-carer', 'data.carerId');
    scenario({ ...given(), context: { ...context, carer: initialCarerState() } }, activity()).thenRefuses('unknown-carer', 'data.carerId');
    scenario({ ...given(), context: { ...context, carer: retiredCarer } }, pairing()).thenRefuses('carer-retired', 'data.carerId');
    scenario({ ...given(), context: { ...context, carer: retiredCarer } }, activity()).thenRefuses('carer-retired', 'data.carerId');
    accepts({ ...given(), context: { ...context, carer: retiredCarer } }, { ...activity(), occurredAt: at('08:50') });
  });

  it('a pairing, activity or incident id used twice', () => {
    scenario(given(pairing()), pairing('pairing-1', 'carer-2')).thenRefuses('duplicate-id', 'data.pairingId');
    scenario(given(activity()), activity()).thenRefuses('duplicate-id', 'data.activityId');
    scenario(given(incident), incident).thenRefuses('duplicate-id', 'data.incidentId');
  });

  it('an activity at a care home the school does not have', () => {
    scenario(given(), { type: 'CareActivityRecorded', occurredAt: at('09:10'), data: { activityId: 'a', kind: 'group-activity', homeId: 'home-9' } }).thenRefuses('unknown-care-home', 'data.homeId');
  });

  it('ending an unknown, ended, or not yet started pairing', () => {
    const end = (occurredAt = at('09:30')): ChildEvent => ({ type: 'PairingEnded', occurredAt, data: { pairingId: 'pairing-1', reason: '结束' } });
    scenario(given(), end()).thenRefuses('unknown-pairing', 'data.pairingId');
    scenario(given(pairing(), end()), end()).thenRefuses('pairing-already-ended', 'data.pairingId');
    scenario(given(pairing()), end(at('08:59'))).thenRefuses('pairing-end-before-start', 'occurredAt');
  });

  it('voiding an unknown activity, or voiding twice', () => {
    const voiding: ChildEvent = { type: 'CareActivityVoided', occurredAt: at('09:30'), data: { activityId: 'activity-1', reason: '错录' } };
    scenario(given(), voiding).thenRefuses('unknown-activity', 'data.activityId');
    scenario(given(activity(), voiding), voiding).thenRefuses('already-voided', 'data.activityId');
  });

  it('notifying of an unknown incident, before the incident, or the same party twice', () => {
    const notify = (occurredAt = at('09:20')): ChildEvent => ({ type: 'IncidentPartyNotified', occurredAt, data: { incidentId: 'incident-1', party: 'parents' } });
    scenario(given(), notify()).thenRefuses('unknown-incident', 'data.incidentId');
    scenario(given(incident), notify(at('08:59'))).thenRefuses('notification-before-incident', 'occurredAt');
    scenario(given(incident, notify()), notify(at('09:40'))).thenRefuses('party-already-notified', 'data.party');
  });

  it('resolving an unknown incident, twice, or before it happened', () => {
    const resolve = (occurredAt = at('09:50')): ChildEvent => ({ type: 'IncidentResolved', occurredAt, data: { incidentId: 'incident-1', outcome: '结案' } });
    scenario(given(), resolve()).thenRefuses('unknown-incident', 'data.incidentId');
    scenario(given(incident, resolve()), resolve()).thenRefuses('already-resolved', 'data.incidentId');
    scenario(given(incident), resolve(at('08:00'))).thenRefuses('resolution-before-incident', 'occurredAt');
  });

  it('enrollment changes out of order', () => {
    scenario(given(), enrollment('returned')).thenRefuses('invalid-enrollment-change', 'data.change');
    scenario(given(enrollment('dropped-out')), enrollment('dropped-out', 'school-1', undefined, at('09:30'))).thenRefuses('invalid-enrollment-change', 'data.change');
    scenario({ ...given(), context: { ...context, school: school('school-2') } }, enrollment('transferred-in', 'school-2', 'school-1'), 'school-2').thenRefuses(
      'invalid-enrollment-change',
      'data.change',
    );
    scenario(
      { events: given(enrollment('transferred-out', 'school-1', 'school-2')).events, context: { ...context, school: school('school-2') } },
      enrollment('transferred-in', 'school-2', 'school-7', at('09:30')),
      'school-2',
    ).thenRefuses('invalid-enrollment-change', 'data.otherSchoolId');
    scenario(given(enrollment('dropped-out')), enrollment('returned', 'school-1', undefined, at('08:59'))).thenRefuses('invalid-enrollment-change', 'occurredAt');
    scenario(given(enrollment('graduated')), enrollment('promoted', 'school-1', undefined, at('09:30'))).thenRefuses('invalid-enrollment-change', 'data.change');
    const senior = { ...registered, data: { ...registrationData, grade: 12 } };
    spec.given([stored(senior)], context).when(record(enrollment('promoted'))).thenRefuses('invalid-enrollment-change', 'data.change');
  });

  describe('given a transfer out of school-1 to school-2', () => {
    const transferred = { events: given(enrollment('transferred-out', 'school-1', 'school-2')).events, context: { ...context, school: school('school-3') } };

    it('when school-3 records the transfer in, it is refused: only the school the transfer named may', () => {
      scenario(transferred, enrollment('transferred-in', 'school-3', 'school-1', at('09:30')), 'school-3').thenRefuses('other-school', 'data.schoolId');
    });

    it('when the platform admin records it for school-3, it is refused too', () => {
      scenario(transferred, enrollment('transferred-in', 'school-3', 'school-1', at('09:30')), null).thenRefuses('other-school', 'data.schoolId');
    });

    it('when the old school records a transfer in to itself, it is refused', () => {
      scenario({ ...transferred, context }, enrollment('transferred-in', 'school-1', 'school-1', at('09:30'))).thenRefuses('other-school', 'data.schoolId');
    });
  });

  describe('given a child who dropped out of school-1', () => {
    const dropped = { events: given(enrollment('dropped-out')).events, context: { ...context, school: school('school-3') } };

    it('when school-3 records the return, it is refused: only school-1 may', () => {
      scenario(dropped, enrollment('returned', 'school-3', undefined, at('09:30')), 'school-3').thenRefuses('other-school', 'childId');
    });

    it('when the platform admin records the return at school-3, it is refused', () => {
      scenario(dropped, enrollment('returned', 'school-3', undefined, at('09:30')), null).thenRefuses('other-school', 'data.schoolId');
    });
  });

  it('an enrollment change at an unknown school', () => {
    scenario(
      { events: given(enrollment('transferred-out', 'school-1', 'school-2')).events, context: { ...context, school: null } },
      enrollment('transferred-in', 'school-2', 'school-1', at('09:30')),
      'school-2',
    ).thenRefuses('unknown-school', 'data.schoolId');
  });

  it('ending a left-behind status that is not active, resuming one that is', () => {
    const ended: ChildEvent = { type: 'LeftBehindStatusEnded', occurredAt: at('09:00'), data: { reason: 'parent-nearby' } };
    scenario(given(ended), { ...ended, occurredAt: at('09:30') }).thenRefuses('left-behind-status-not-active', 'type');
    scenario(given(), { type: 'LeftBehindStatusResumed', occurredAt: at('09:30'), data: { parentsAway: 'father' } }).thenRefuses('left-behind-status-active', 'type');
  });

  it('clearing a flag that is not open, flagging one that is', () => {
    const flag: ChildEvent = { type: 'RiskFlagged', occurredAt: at('09:00'), data: { flag: 'poverty' } };
    scenario(given(), { type: 'RiskCleared', occurredAt: at('09:00'), data: { flag: 'poverty' } }).thenRefuses('risk-not-open', 'data.flag');
    scenario(given(flag), flag).thenRefuses('risk-already-open', 'data.flag');
  });

  it('erasing twice', () => {
    const erase: ChildEvent = { type: 'PersonalDataErased', occurredAt: at('09:00'), data: { reason: '申请' } };
    scenario(given(erase), erase).thenRefuses('already-erased', 'childId');
  });
});

describe('evolveChild', () => {
  const fold = (...events: ChildEvent[]) => given(...events).events.reduce(evolveChild, initialChildState()) as ChildFile;

  it('ends active pairings when the child stops being in care, and not otherwise', () => {
    expect(fold(pairing(), enrollment('dropped-out', 'school-1', undefined, at('09:30'))).pairings[0]).toMatchObject({ endedAt: at('09:30'), endReason: PAIRING_END_LEFT_CARE });
    const ended: ChildEvent = { type: 'LeftBehindStatusEnded', occurredAt: at('09:40'), data: { reason: 'moved-with-parents' } };
    expect(fold(pairing(), ended).pairings[0].endedAt).toBe(at('09:40'));
    expect(fold(pairing(), enrollment('promoted')).pairings[0].endedAt).toBeNull();
  });

  it('ignores events before registration (decide refuses them)', () => {
    expect(evolveChild(initialChildState(), stored(activity()))).toEqual(initialChildState());
  });
});
