import type { NewEvent } from '@lbc/event-store';

export interface SyntheticStream {
  readonly streamId: string;
  readonly events: NewEvent[];
}

export interface SyntheticCountyOptions {
  readonly schools: number;
  readonly childrenPerSchool: number;
  /** Care activities per child (each other event type appears at its own rate). */
  readonly activitiesPerChild?: number;
  readonly seed?: number;
}

// A seeded generator (mulberry32): the same options always give the same county, so a failing
// fault test can be replayed.
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/**
 * A county's worth of events of every type of DOMAIN.md, one stream per school, carer and child,
 * with transfers, dropouts and returns, left-behind status changes, voids, incidents and erasures,
 * some recorded late. Sealed personal data is a placeholder string.
 */
export function syntheticCounty(options: SyntheticCountyOptions): SyntheticStream[] {
  const next = random(options.seed ?? 1);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const chance = (p: number) => next() < p;
  let counter = 0;
  const seedTag = hex(options.seed ?? 1, 8);
  const id = () => `${seedTag}-0000-4000-8000-${hex(++counter, 12)}`;
  const day = (offset: number, hour = 9) => new Date(Date.UTC(2024, 8, 1, hour - 8) + offset * 86_400_000).toISOString().replace('Z', '+00:00');
  const event = (type: string, occurredAt: string, data: Record<string, unknown>, schoolId: string): NewEvent => ({
    eventId: id(),
    type,
    schemaVersion: 1,
    occurredAt,
    data,
    metadata: { recordedBy: 'synthetic', schoolId, countyId: 'county-synthetic', correlationId: id(), causationId: null },
  });
  const sealed = { personal: { sealed: 'c3ludGhldGlj' } };

  const streams: SyntheticStream[] = [];
  const schoolIds = Array.from({ length: options.schools }, () => id());
  schoolIds.forEach((schoolId, index) => {
    const homeId = id();
    streams.push({
      streamId: `school-${schoolId}`,
      events: [
        event('SchoolRegistered', day(0), {
          name: `School ${index}`, countyId: 'county-synthetic', countyName: '旺苍县', townshipId: `township-${index % 7}`,
          townshipName: `镇 ${index % 7}`, level: pick(['primary', 'junior-secondary', 'nine-year']), boarding: chance(0.3),
        }, schoolId),
        event('EnrollmentReported', day(1), { term: '2024-fall', totalPupils: options.childrenPerSchool * 2 }, schoolId),
        event('CareHomeOpened', day(2), { homeId, name: `Home ${index}`, facilities: ['books', 'family-phone'] }, schoolId),
        event('CareHomeActivityHeld', day(30), { homeId, title: 'Mid-autumn', participants: 40 }, schoolId),
      ],
    });
  });
  const carers = schoolIds.map((schoolId) => {
    const carerIds = Array.from({ length: Math.max(1, Math.ceil(options.childrenPerSchool / 3)) }, () => id());
    carerIds.forEach((carerId, index) =>
      streams.push({
        streamId: `carer-${carerId}`,
        events: [
          event('CarerRegistered', day(1), {
            schoolId, organisation: index % 5 === 0 ? 'youth-league' : 'school', role: pick(['head-teacher', 'subject-teacher', 'volunteer']),
            partyMember: chance(0.4), personalFields: ['name'], ...sealed,
          }, schoolId),
          ...(chance(0.05) ? [event('CarerRetired', day(200), { reason: 'moved' }, schoolId)] : []),
        ],
      }),
    );
    return carerIds;
  });

  schoolIds.forEach((schoolId, schoolIndex) => {
    for (let c = 0; c < options.childrenPerSchool; c++) {
      const childId = id();
      let at = Math.floor(next() * 60);
      const step = () => (at += 1 + Math.floor(next() * 20));
      const category = chance(0.85) ? 'left-behind' : pick(['orphan', 'single-parent', 'in-difficulty', 'abandoned']);
      const events: NewEvent[] = [
        event('ChildRegistered', day(at), {
          schoolId, grade: 1 + Math.floor(next() * 9), className: '1', gender: pick(['female', 'male']), birthMonth: '2015-03',
          category, parentsAway: pick(['father', 'mother', 'both']), guardianType: pick(['grandparent', 'grandparent', 'relative', 'none']),
          personalFields: ['name', 'homeAddress', 'guardian.name', 'guardian.phone'], ...sealed,
        }, schoolId),
      ];
      const carerId = pick(carers[schoolIndex]);
      const pairingId = id();
      events.push(event('PairingStarted', day(step()), { pairingId, carerId, role: 'subject-teacher' }, schoolId));
      const activities: string[] = [];
      for (let a = 0; a < (options.activitiesPerChild ?? 4); a++) {
        const activityId = id();
        activities.push(activityId);
        const kind = pick(['talk', 'home-visit', 'family-call', 'video-call', 'guardian-contact', 'health-check', 'aid', 'tutoring']);
        events.push(event('CareActivityRecorded', day(step()), {
          activityId, kind, carerId, minutes: 20, ...(kind === 'aid' ? { amountYuan: 200 } : {}), personal: { sealed: 'bm90ZXM=' },
        }, schoolId));
      }
      if (chance(0.05)) events.push(event('CareActivityVoided', day(step()), { activityId: activities[0], reason: 'entered twice' }, schoolId));
      if (chance(0.1)) events.push(event('ArchiveUpdated', day(step()), { grade: 5, personalFields: ['parents[0].phone'], ...sealed }, schoolId));
      if (chance(0.05)) events.push(event('GuardianshipChanged', day(step()), { guardianType: 'relative', personalFields: ['guardian.name'], ...sealed }, schoolId));
      if (chance(0.1)) {
        events.push(event('RiskFlagged', day(step()), { flag: pick(['academic', 'psychological', 'safety']) }, schoolId));
        if (chance(0.5)) events.push(event('RiskCleared', day(step()), { flag: 'academic' }, schoolId));
      }
      if (chance(0.03)) {
        const incidentId = id();
        const occurred = step();
        events.push(event('IncidentReported', day(occurred), { incidentId, kind: 'injury', severity: 'medium', personal: { sealed: 'ZA==' } }, schoolId));
        events.push(event('IncidentPartyNotified', day(occurred, 10), { incidentId, party: 'guardian' }, schoolId));
        if (chance(0.7)) events.push(event('IncidentResolved', day(step()), { incidentId, outcome: 'recovered' }, schoolId));
      }
      if (category === 'left-behind' && chance(0.08)) {
        events.push(event('LeftBehindStatusEnded', day(step()), { reason: 'parents-returned' }, schoolId));
        if (chance(0.3)) events.push(event('LeftBehindStatusResumed', day(step()), { parentsAway: 'father' }, schoolId));
      }
      const fate = next();
      if (fate < 0.04 && schoolIds.length > 1) {
        const otherSchoolId = schoolIds[(schoolIndex + 1) % schoolIds.length];
        events.push(event('EnrollmentChanged', day(step()), { change: 'transferred-out', schoolId, otherSchoolId }, schoolId));
        events.push(event('EnrollmentChanged', day(step()), { change: 'transferred-in', schoolId: otherSchoolId, otherSchoolId: schoolId }, otherSchoolId));
      } else if (fate < 0.07) {
        events.push(event('PairingEnded', day(step()), { pairingId, reason: 'dropped-out' }, schoolId));
        events.push(event('EnrollmentChanged', day(step()), { change: 'dropped-out', schoolId }, schoolId));
        if (chance(0.5)) events.push(event('EnrollmentChanged', day(step()), { change: 'returned', schoolId }, schoolId));
      } else if (fate < 0.1) {
        events.push(event('EnrollmentChanged', day(step()), { change: 'graduated', schoolId }, schoolId));
      } else if (fate < 0.2) {
        events.push(event('EnrollmentChanged', day(step()), { change: 'promoted', schoolId }, schoolId));
      }
      if (chance(0.01)) events.push(event('PersonalDataErased', day(step()), { reason: 'request' }, schoolId));
      streams.push({ streamId: `child-${childId}`, events });
    }
  });
  return streams;
}
