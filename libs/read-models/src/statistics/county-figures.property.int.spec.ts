import type { GuardianType } from '@lbc/domain';
import { DAY_MS, GUARDIAN_TYPES, schoolYearOf, semesterOf, startOfDay, toCountyIso } from '@lbc/domain';
import type { ProjectedEvent } from '../projection/projected-event';
import { useReadModelsDatabase } from '../testing/read-models-database';
import { MEASURES } from './child-contributions';
import { countyFigures, countyFiguresSeries, dataAsOf } from './county-figures.sql';
import { deriveAll } from './derived-state';
import type { CountyFigures, CountyFiguresRequest, UnitFigures } from './unit-figures';

// ---------------------------------------------------------------------------------------------
// A small seeded generator of valid histories: a county of two townships, a school outside it,
// carers (some retiring), and children whose events follow the domain's rules in stream order,
// with some of them recorded late (weeks after they occurred), and times near local midnight.

function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => items[int(items.length)],
    chance: (p: number) => next() < p,
  };
}

const START = startOfDay('2024-08-20');
const HORIZON = startOfDay('2026-02-10');
const SCHOOLS = [
  { id: 's1', township: 't1' },
  { id: 's2', township: 't1' },
  { id: 's3', township: 't2' },
  { id: 's4', township: 't2' },
];
const ELSEWHERE = 'x1';
const KINDS = ['talk', 'home-visit', 'family-call', 'video-call', 'guardian-contact', 'health-check', 'aid', 'parent-meeting', 'tutoring'];
const PERSONAL = ['guardian.name', 'guardian.phone', 'homeAddress', 'parents[0].phone', 'parents[0].workCity', 'parents[1].phone', 'name'];

function generate(seed: number): ProjectedEvent[] {
  const rnd = random(seed);
  let eventNo = 0;
  const events: ProjectedEvent[] = [];
  // A store records a stream's events in an order its rules accept: here every event after the
  // ones it builds on (all earlier ones of its stream; a void after its activity), except care
  // activities, which may come weeks late, after events that occurred later.
  const floors = new Map<string, { first: number; last: number }>();
  const activityRecorded = new Map<unknown, number>();
  const add = (streamId: string, type: string, at: number, data: Record<string, unknown>, schoolId: string | null = null) => {
    eventNo += 1;
    const late = rnd.chance(0.12) ? (1 + rnd.int(40)) * DAY_MS : rnd.int(600_000);
    const floor = floors.get(streamId);
    let recorded = at + late;
    if (type === 'CareActivityRecorded') {
      recorded = Math.max(recorded, floor?.first ?? 0);
      activityRecorded.set(data.activityId, recorded);
    } else {
      recorded = Math.max(recorded, floor?.last ?? 0, type === 'CareActivityVoided' ? (activityRecorded.get(data.activityId) ?? 0) : 0);
      floors.set(streamId, { first: floor?.first ?? recorded, last: recorded });
    }
    events.push({
      eventId: `00000000-0000-4000-8000-${String(seed % 1000).padStart(3, '0')}${String(eventNo).padStart(9, '0')}`,
      type,
      streamId,
      globalPosition: 0,
      occurredAt: toCountyIso(at),
      recordedAt: new Date(recorded).toISOString(),
      data,
      metadata: { schoolId },
    });
  };
  // Times step by hours to weeks; one in five lands in the first hour of a county-local day.
  const step = (t: number) => {
    const next = t + rnd.int(9 * DAY_MS);
    return rnd.chance(0.2) ? startOfDay(toCountyIso(next).slice(0, 10)) + rnd.int(3_600_000) : next;
  };
  for (const school of [...SCHOOLS, { id: ELSEWHERE, township: 'tx' }]) {
    const county = school.id === ELSEWHERE ? 'other' : 'c1';
    add(`school-${school.id}`, 'SchoolRegistered', START - rnd.int(10) * DAY_MS, {
      name: `学校 ${school.id}`,
      countyId: county,
      countyName: county,
      townshipId: school.township,
      townshipName: `乡 ${school.township}`,
      level: 'primary',
      boarding: false,
    });
    for (const term of ['2024-fall', '2025-spring', '2025-fall']) {
      if (rnd.chance(0.7))
        add(
          `school-${school.id}`,
          'EnrollmentReported',
          startOfDay(`${term.slice(0, 4)}-${term.endsWith('fall') ? '09' : '02'}-0${1 + rnd.int(9)}`) + rnd.int(DAY_MS),
          { term, totalPupils: 20 + rnd.int(300) },
        );
    }
    if (rnd.chance(0.7))
      add(`school-${school.id}`, 'CareHomeOpened', START + rnd.int(200) * DAY_MS, { homeId: `h-${school.id}`, name: 'home', facilities: [] });
  }
  const carers = Array.from({ length: 6 }, (_, i) => ({
    id: `k${i}`,
    retiredAt: rnd.chance(0.4) ? START + rnd.int(500) * DAY_MS : Infinity,
  }));
  for (const carer of carers) {
    add(`carer-${carer.id}`, 'CarerRegistered', START - DAY_MS, {
      organisation: rnd.pick(['school', 'school', 'youth-league', 'village']),
      role: 'volunteer',
      partyMember: rnd.chance(0.5),
      schoolId: null,
    });
    if (carer.retiredAt !== Infinity) add(`carer-${carer.id}`, 'CarerRetired', carer.retiredAt, {});
  }
  const homeActivityAt = START + rnd.int(400) * DAY_MS;
  add('school-s1', 'CareHomeActivityHeld', homeActivityAt, {
    homeId: 'h-s1',
    participants: 12,
  });

  for (let c = 0; c < 24; c++) {
    const child = `child-c${c}`;
    let school = rnd.pick(SCHOOLS).id;
    let t = START + rnd.int(200) * DAY_MS;
    const category = rnd.pick(['left-behind', 'left-behind', 'orphan', 'single-parent']);
    add(
      child,
      'ChildRegistered',
      t,
      {
        schoolId: school,
        grade: 3,
        className: '3-1',
        category,
        parentsAway: rnd.pick(['father', 'both', 'none']),
        guardianType: rnd.pick(GUARDIAN_TYPES),
        personalFields: PERSONAL.filter(() => rnd.chance(0.7)),
      },
      school,
    );
    let enrollment = 'enrolled' as 'enrolled' | 'dropped-out' | 'transferred-out' | 'graduated';
    let transferTo: string | null = null;
    let leftBehindActive = true;
    const pairings: { id: string; carer: string; open: boolean }[] = [];
    const activities: string[] = [];
    const flags = new Set<string>();
    const inCare = () => enrollment === 'enrolled' && (category !== 'left-behind' || leftBehindActive);
    for (let n = rnd.int(70); n > 0 && t < HORIZON; n--) {
      t = step(t);
      const roll = rnd.next();
      if (enrollment === 'graduated') break;
      if (enrollment === 'transferred-out') {
        if (transferTo === ELSEWHERE || transferTo === null) break;
        add(
          child,
          'EnrollmentChanged',
          t,
          {
            change: 'transferred-in',
            schoolId: transferTo,
            otherSchoolId: school,
          },
          transferTo,
        );
        [school, enrollment, transferTo] = [transferTo, 'enrolled', null];
      } else if (enrollment === 'dropped-out') {
        if (roll < 0.5) {
          add(child, 'EnrollmentChanged', t, { change: 'returned', schoolId: school }, school);
          enrollment = 'enrolled';
        }
      } else if (roll < 0.45) {
        const id = `a-${c}-${n}`;
        const kind = rnd.pick(KINDS);
        const carer = rnd.chance(0.6) ? rnd.pick(carers).id : undefined;
        const home = rnd.chance(0.2) ? `h-${school}` : undefined;
        add(
          child,
          'CareActivityRecorded',
          t,
          {
            activityId: id,
            kind,
            carerId: carer,
            homeId: home,
            amountYuan: kind === 'aid' ? 50 + rnd.int(10) * 25.5 : undefined,
          },
          school,
        );
        activities.push(id);
      } else if (roll < 0.5 && activities.length > 0) {
        add(child, 'CareActivityVoided', t, { activityId: rnd.pick(activities), reason: 'wrong' }, school);
      } else if (roll < 0.6) {
        const open = pairings.filter((p) => p.open);
        if (open.length > 0 && rnd.chance(0.4)) {
          const pairing = rnd.pick(open);
          add(child, 'PairingEnded', t, { pairingId: pairing.id, reason: 'done' }, school);
          pairing.open = false;
        } else if (inCare()) {
          const carer = rnd.pick(carers.filter((k) => k.retiredAt > t && !open.some((p) => p.carer === k.id)).concat([]));
          if (carer) {
            const id = `p-${c}-${n}`;
            add(child, 'PairingStarted', t, { pairingId: id, carerId: carer.id, role: 'volunteer' }, school);
            pairings.push({ id, carer: carer.id, open: true });
          }
        }
      } else if (roll < 0.66) {
        const flag = rnd.pick(['academic', 'safety']);
        add(child, flags.has(flag) ? 'RiskCleared' : 'RiskFlagged', t, { flag }, school);
        if (flags.has(flag)) flags.delete(flag);
        else flags.add(flag);
      } else if (roll < 0.71) {
        add(
          child,
          'GuardianshipChanged',
          t,
          {
            guardianType: rnd.pick(GUARDIAN_TYPES),
            personalFields: ['guardian.name', 'guardian.phone'].filter(() => rnd.chance(0.6)),
          },
          school,
        );
      } else if (roll < 0.76) {
        add(
          child,
          'ArchiveUpdated',
          t,
          {
            parentsAway: rnd.chance(0.5) ? rnd.pick(['father', 'none']) : undefined,
            personalFields: PERSONAL.filter(() => rnd.chance(0.3)),
          },
          school,
        );
      } else if (roll < 0.81 && category === 'left-behind') {
        const wasInCare = inCare();
        if (leftBehindActive) add(child, 'LeftBehindStatusEnded', t, { reason: 'parents-returned' }, school);
        else add(child, 'LeftBehindStatusResumed', t, { parentsAway: rnd.pick(['father', 'mother']) }, school);
        leftBehindActive = !leftBehindActive;
        if (wasInCare && !inCare()) for (const p of pairings) p.open = false;
      } else if (roll < 0.87) {
        const incident = `i-${c}-${n}`;
        add(child, 'IncidentReported', t, { incidentId: incident, kind: 'injury', severity: 'minor' }, school);
        for (const party of ['guardian', 'parents', 'education-bureau', 'township-government']) {
          if (rnd.chance(0.6))
            add(child, 'IncidentPartyNotified', t + rnd.pick([10, 30, 31, 60, 61, 120, 121, 3000]) * 60_000, { incidentId: incident, party }, school);
        }
        if (rnd.chance(0.5)) add(child, 'IncidentResolved', t + rnd.int(30) * DAY_MS, { incidentId: incident, outcome: 'ok' }, school);
      } else if (roll < 0.92) {
        add(child, 'EnrollmentChanged', t, { change: 'promoted', schoolId: school }, school);
      } else {
        const change = rnd.pick(['transferred-out', 'transferred-out', 'dropped-out', 'dropped-out', 'graduated']);
        const other = change === 'transferred-out' ? rnd.pick([...SCHOOLS.map((s) => s.id).filter((s) => s !== school), ELSEWHERE]) : undefined;
        const wasInCare = inCare();
        add(child, 'EnrollmentChanged', t, { change, schoolId: school, otherSchoolId: other }, school);
        enrollment = change as typeof enrollment;
        transferTo = other ?? null;
        if (wasInCare) for (const p of pairings) p.open = false;
      }
    }
  }
  // Global positions follow recording order, as the store assigns them.
  events.sort((a, b) => Date.parse(a.recordedAt) - Date.parse(b.recordedAt));
  return events.map((event, i) => ({ ...event, globalPosition: i + 1 }));
}

// ---------------------------------------------------------------------------------------------
// The reference: every figure straight from the events, by the words of INDICATORS.md, one
// predicate at a time (slow and plain on purpose).

type Ev = ProjectedEvent & { at: number };
const data = (e: Ev) => e.data as Record<string, never>;
const order = (a: Ev, b: Ev) => a.at - b.at || a.globalPosition - b.globalPosition;
const topKey = (path: string) => /^[^.[]+/.exec(path)?.[0] ?? path;

function reference(all: readonly ProjectedEvent[], request: CountyFiguresRequest): CountyFigures {
  const end = startOfDay(request.asOf) + DAY_MS;
  const from = startOfDay(request.from);
  const sy = startOfDay(`${schoolYearOf(request.asOf)}-09-01`);
  const semester = startOfDay(semesterOf(request.asOf).start);
  const rb = request.recordedBy === null ? Infinity : Date.parse(request.recordedBy);
  const events: Ev[] = all
    .map((e) => ({ ...e, at: Date.parse(e.occurredAt) }))
    .filter((e) => e.at < end && Date.parse(e.recordedAt) <= rb)
    .sort(order);
  const voided = new Set(
    all.filter((e) => e.type === 'CareActivityVoided' && Date.parse(e.recordedAt) <= rb).map((e) => `${e.streamId}/${data(e as Ev).activityId}`),
  );
  const schoolRegs = events.filter((e) => e.type === 'SchoolRegistered' && data(e).countyId === request.countyId);
  const townshipOf = new Map(schoolRegs.map((e) => [e.streamId.slice(7), data(e).townshipId as string]));
  const units = schoolRegs
    .map((e) => ({
      schoolId: e.streamId.slice(7),
      schoolName: data(e).name,
      townshipId: data(e).townshipId,
      townshipName: data(e).townshipName,
    }))
    .sort((a, b) => (a.townshipId + '/' + a.schoolId < b.townshipId + '/' + b.schoolId ? -1 : 1));
  const retiredCarers = new Set(events.filter((e) => e.type === 'CarerRetired').map((e) => e.streamId.slice(6)));
  const volunteerCarers = new Set(
    events.filter((e) => e.type === 'CarerRegistered' && data(e).organisation !== 'school').map((e) => e.streamId.slice(6)),
  );
  const byChild = new Map<string, Ev[]>();
  for (const e of events) if (e.streamId.startsWith('child-')) byChild.set(e.streamId, [...(byChild.get(e.streamId) ?? []), e]);

  const isEnrollment = (e: Ev) => e.type === 'ChildRegistered' || (e.type === 'EnrollmentChanged' && data(e).change !== 'promoted');
  const enrols = (e: Ev) => e.type === 'ChildRegistered' || ['transferred-in', 'returned'].includes(data(e).change);
  // The child's events up to and including the k-th.
  const enrolledSchools = (h: Ev[], k: number) => {
    const latest = new Map<string, boolean>();
    for (const e of h.slice(0, k + 1)) if (isEnrollment(e)) latest.set(data(e).schoolId, enrols(e));
    return [...latest].filter(([, y]) => y).map(([s]) => s);
  };
  const registration = (h: Ev[], k: number) => h.slice(0, k + 1).find((e) => e.type === 'ChildRegistered');
  const inCareSchools = (h: Ev[], k: number) => {
    const reg = registration(h, k);
    if (!reg) return [];
    const lastStatus = h
      .slice(0, k + 1)
      .filter((e) => e.type === 'ChildRegistered' || e.type.startsWith('LeftBehindStatus'))
      .pop();
    const active = data(reg).category !== 'left-behind' || lastStatus?.type !== 'LeftBehindStatusEnded';
    return active ? enrolledSchools(h, k) : [];
  };
  const lastIndexAtOrBefore = (h: Ev[], t: number) => h.filter((e) => e.at <= t).length - 1;

  const tallies = new Map<string, { f: Mutable; carers: Map<string, number>; served: Set<string> }>();
  const unitKeys = (schools: readonly (string | null)[]) => {
    const keys = new Set<string>();
    for (const s of schools)
      if (s !== null && townshipOf.has(s))
        keys
          .add(`s:${s}`)
          .add(`t:${townshipOf.get(s)}`)
          .add('c');
    return [...keys].map((key) => {
      if (!tallies.has(key)) tallies.set(key, { f: zero(), carers: new Map(), served: new Set() });
      return tallies.get(key) as {
        f: Mutable;
        carers: Map<string, number>;
        served: Set<string>;
      };
    });
  };
  const activityOk = (e: Ev) => e.type === 'CareActivityRecorded' && !voided.has(`${e.streamId}/${data(e).activityId}`);

  for (const h of byChild.values()) {
    const k = h.length - 1;
    const reg = registration(h, k);
    if (!reg) continue;
    const schools = inCareSchools(h, k);
    // Pairings: started, not ended, carer not retired, and no moment since the start at which the child stopped being in care.
    const active = h.filter((e, i) => {
      if (e.type !== 'PairingStarted') return false;
      if (h.some((x) => x.type === 'PairingEnded' && data(x).pairingId === data(e).pairingId)) return false;
      if (retiredCarers.has(data(e).carerId)) return false;
      for (let j = i + 1; j <= k; j++) if (inCareSchools(h, j - 1).length > 0 && inCareSchools(h, j).length === 0) return false;
      return true;
    });
    const has = (kinds: string[], since: number) => h.some((e) => activityOk(e) && kinds.includes(data(e).kind) && e.at >= since);
    let guardian = data(reg).guardianType as GuardianType;
    let fields: string[] = [...(data(reg).personalFields as string[])];
    let away = data(reg).parentsAway as string;
    const flags = new Set<string>();
    for (const e of h) {
      if (e.type === 'GuardianshipChanged') {
        guardian = data(e).guardianType;
        const update = data(e).personalFields as string[];
        fields = [...fields.filter((p) => topKey(p) !== 'guardian' && !update.some((u) => topKey(u) === topKey(p))), ...update];
      }
      if (e.type === 'ArchiveUpdated') {
        const update = data(e).personalFields as string[];
        fields = [...fields.filter((p) => !update.some((u) => topKey(u) === topKey(p))), ...update];
        away = data(e).parentsAway ?? away;
      }
      if (e.type === 'LeftBehindStatusResumed') away = data(e).parentsAway;
      if (e.type === 'RiskFlagged') flags.add(data(e).flag);
      if (e.type === 'RiskCleared') flags.delete(data(e).flag);
    }
    const complete =
      ['guardian.name', 'guardian.phone', 'homeAddress'].every((p) => fields.includes(p)) &&
      (away === 'none' || [0, 1, 2].some((i) => fields.includes(`parents[${i}].phone`) && fields.includes(`parents[${i}].workCity`)));
    for (const u of unitKeys(schools)) {
      const f = u.f;
      f.childrenInCare++;
      if (data(reg).category === 'left-behind') f.leftBehindChildren++;
      if (complete) f.archiveComplete++;
      f.guardianshipByType[guardian]++;
      if (guardian !== 'none') f.guardianNotNone++;
      if (has(['family-call', 'video-call'], end - 30 * DAY_MS)) f.familyContact30d++;
      if (has(['health-check'], sy)) f.healthChecked++;
      if (flags.size > 0) f.keyAssistance.children++;
      if (active.length === 0) continue;
      if (flags.size > 0) f.keyAssistance.paired++;
      f.paired++;
      for (const p of active) u.carers.set(data(p).carerId, (u.carers.get(data(p).carerId) ?? 0) + 1);
      if (has(['talk'], end - 7 * DAY_MS)) f.careCadence.talk7d++;
      if (has(['guardian-contact'], end - 30 * DAY_MS)) f.careCadence.contact30d++;
      if (has(['home-visit'], end - 92 * DAY_MS)) f.careCadence.homeVisit92d++;
      if (has(['aid'], semester)) f.careCadence.aidSemester++;
      if (has(['parent-meeting'], end - 365 * DAY_MS)) f.careCadence.parentMeeting365d++;
    }
    // Dropout cohort: enrolled at a school at the school year's start, or at any of the year's events (before or after it).
    const cohort = new Set(enrolledSchools(h, lastIndexAtOrBefore(h, sy - 1)));
    h.forEach((e, i) => {
      if (e.at >= sy)
        for (const s of [...enrolledSchools(h, i - 1), ...enrolledSchools(h, i)]) if (isEnrollment(e) && data(e).schoolId === s) cohort.add(s);
    });
    const lastEnrollment = h.filter(isEnrollment).pop();
    for (const u of unitKeys([...cohort])) {
      u.f.dropout.cohort++;
      if (lastEnrollment?.type === 'EnrollmentChanged' && data(lastEnrollment).change === 'dropped-out' && lastEnrollment.at >= sy)
        u.f.dropout.droppedOut++;
    }
    // Incidents count where the child was enrolled when it happened (else its last school).
    for (const e of h.filter((x) => x.type === 'IncidentReported')) {
      const j = lastIndexAtOrBefore(h, e.at);
      const there = enrolledSchools(h, j);
      const lastSchool = h
        .slice(0, j + 1)
        .filter(isEnrollment)
        .pop()?.data.schoolId as string;
      const resolved = h.some((x) => x.type === 'IncidentResolved' && data(x).incidentId === data(e).incidentId);
      for (const u of unitKeys(there.length > 0 ? there : [lastSchool])) {
        if (!resolved) u.f.incidents.open++;
        if (e.at < from) continue;
        u.f.incidents.count++;
        for (const [party, key, minutes] of [
          ['guardian', 'guardian', 30],
          ['parents', 'parents', 60],
          ['education-bureau', 'educationBureau', 120],
          ['township-government', 'townshipGovernment', 120],
        ] as const) {
          if (
            h.some(
              (x) =>
                x.type === 'IncidentPartyNotified' &&
                data(x).incidentId === data(e).incidentId &&
                data(x).party === party &&
                x.at - e.at <= minutes * 60_000,
            )
          )
            u.f.incidents.withinDeadline[key]++;
        }
      }
    }
  }
  const volunteersOf = (u: { carers: Map<string, number> }) => [...u.carers].filter(([carer]) => volunteerCarers.has(carer));
  for (const e of events) {
    const school = e.metadata.schoolId;
    if (e.at < from) continue;
    if (activityOk(e)) {
      for (const u of unitKeys([school])) {
        if (data(e).kind === 'aid') {
          u.f.aid.personTimes++;
          u.f.aid.yuan += data(e).amountYuan ?? 0;
        }
        if (data(e).homeId) u.served.add(e.streamId);
        if (volunteersOf(u).some(([carer]) => carer === data(e).carerId)) u.f.volunteers.activities++;
      }
    }
    if (e.type === 'EnrollmentChanged' && data(e).change === 'returned') for (const u of unitKeys([data(e).schoolId])) u.f.returnedAfterDropout++;
    if (e.type === 'CareHomeActivityHeld') for (const u of unitKeys([e.streamId.slice(7)])) u.f.careHomes.activities++;
  }
  for (const unit of units) {
    const reports = events.filter((e) => e.type === 'EnrollmentReported' && e.streamId === `school-${unit.schoolId}`);
    const homes = new Set(events.filter((e) => e.type === 'CareHomeOpened' && e.streamId === `school-${unit.schoolId}`).map((e) => data(e).homeId));
    for (const u of unitKeys([unit.schoolId])) {
      u.f.pupils += reports.length > 0 ? (data(reports[reports.length - 1]).totalPupils as number) : 0;
      u.f.careHomes.homes += homes.size;
    }
  }
  const finish = (key: string): UnitFigures => {
    const u = tallies.get(key) ?? {
      f: zero(),
      carers: new Map<string, number>(),
      served: new Set<string>(),
    };
    const loads = [...u.carers.values()];
    const volunteers = volunteersOf(u);
    return {
      ...u.f,
      aid: {
        personTimes: u.f.aid.personTimes,
        yuan: Math.round(u.f.aid.yuan * 100) / 100,
      },
      carerLoad: {
        carers: loads.length,
        pairings: loads.reduce((a, b) => a + b, 0),
        max: Math.max(0, ...loads),
        overLimit: loads.filter((n) => n > request.maxCarerLoad).length,
      },
      careHomes: { ...u.f.careHomes, childrenServed: u.served.size },
      volunteers: {
        active: volunteers.length,
        pairings: volunteers.reduce((a, [, n]) => a + n, 0),
        activities: u.f.volunteers.activities,
      },
    };
  };
  return {
    countyId: request.countyId,
    units: units as CountyFigures['units'],
    county: finish('c'),
    townships: new Map(units.map((u) => [u.townshipId as string, finish(`t:${u.townshipId}`)])),
    schools: new Map(units.map((u) => [u.schoolId, finish(`s:${u.schoolId}`)])),
  };
}

type Mutable = {
  -readonly [K in keyof UnitFigures]: UnitFigures[K] extends object
    ? {
        -readonly [J in keyof UnitFigures[K]]: UnitFigures[K][J] extends object
          ? { -readonly [L in keyof UnitFigures[K][J]]: UnitFigures[K][J][L] }
          : UnitFigures[K][J];
      }
    : UnitFigures[K];
};
const zero = (): Mutable => ({
  childrenInCare: 0,
  leftBehindChildren: 0,
  pupils: 0,
  archiveComplete: 0,
  paired: 0,
  carerLoad: { carers: 0, pairings: 0, max: 0, overLimit: 0 },
  guardianNotNone: 0,
  guardianshipByType: Object.fromEntries(GUARDIAN_TYPES.map((type) => [type, 0])) as Record<GuardianType, number>,
  careCadence: {
    talk7d: 0,
    contact30d: 0,
    homeVisit92d: 0,
    aidSemester: 0,
    parentMeeting365d: 0,
  },
  familyContact30d: 0,
  dropout: { cohort: 0, droppedOut: 0 },
  returnedAfterDropout: 0,
  healthChecked: 0,
  keyAssistance: { children: 0, paired: 0 },
  aid: { personTimes: 0, yuan: 0 },
  incidents: {
    count: 0,
    withinDeadline: {
      guardian: 0,
      parents: 0,
      educationBureau: 0,
      townshipGovernment: 0,
    },
    open: 0,
  },
  careHomes: { homes: 0, childrenServed: 0, activities: 0 },
  volunteers: { active: 0, pairings: 0, activities: 0 },
});

const plain = (figures: CountyFigures) => ({
  ...figures,
  townships: Object.fromEntries(figures.townships),
  schools: Object.fromEntries(figures.schools),
});

describe('county figures equal a reference computed straight from the events (random valid histories)', () => {
  const database = useReadModelsDatabase();

  // The derived sums without the rows whose changes cancelled out.
  const derivedSums = async () => [
    ...(await database.readModels.query(
      `SELECT key, grain, day::text, ${MEASURES.join(', ')} FROM unit_contributions
        WHERE ${MEASURES.map((measure) => `${measure} <> 0`).join(' OR ')} ORDER BY grain, day, key`,
    )),
    ...(await database.readModels.query(
      `SELECT school_id, carer_id, grain, day::text, activities, aid, yuan::float8 FROM school_activity_days
        WHERE activities <> 0 OR aid <> 0 OR yuan <> 0 ORDER BY grain, day, school_id, carer_id`,
    )),
    ...(await database.readModels.query('SELECT child_id, changes::text FROM child_contributions ORDER BY child_id')),
  ];

  it.each([1, 2, 3, 4, 5, 6])('history %i', async (seed) => {
    const events = generate(seed * 7919);
    // Each history in a county of its own: the same generator names its schools alike.
    const county = `c1`;
    await database.readModels.query(
      'TRUNCATE schools, enrollment_reports, care_homes, care_home_activities, carers, carer_retirements, child_registrations, archive_updates, guardianship_changes, enrollment_changes, left_behind_status_changes, risk_flag_changes, pairing_changes, care_activities, care_activity_voids, incidents, incident_notifications, incident_resolutions, child_states, child_covers, child_contributions, unit_contributions, school_activity_days',
    );
    await database.readModels.query('UPDATE read_models_position SET recorded_at = NULL');
    const rnd = random(seed);
    // As the projector receives them: batches of any size in recording order, some delivered twice.
    for (let i = 0; i < events.length; ) {
      const batch = events.slice(i, (i += 1 + rnd.int(40)));
      await database.given(...batch);
      if (rnd.chance(0.2)) await database.given(...events.slice(Math.max(0, i - 60), i));
    }
    const newest = events
      .map((e) => e.recordedAt)
      .sort()
      .pop() as string;
    expect(await dataAsOf(database.readModels.manager)).toBe(new Date(newest).toISOString());
    for (let q = 0; q < 16; q++) {
      // Half of the dates sit on a window's edge after some event: windows are where off-by-one errors hide.
      const edge = Date.parse(rnd.pick(events).occurredAt) + rnd.pick([0, 6, 7, 29, 30, 91, 92, 364, 365]) * DAY_MS;
      const asOf = toCountyIso(rnd.chance(0.5) ? edge : START + (60 + rnd.int(480)) * DAY_MS).slice(0, 10);
      const from = rnd.chance(0.5) ? `${schoolYearOf(asOf)}-09-01` : toCountyIso(startOfDay(asOf) - rnd.int(200) * DAY_MS).slice(0, 10);
      const recordedBy = rnd.chance(0.5) ? null : new Date(startOfDay(asOf) + rnd.int(60) * DAY_MS).toISOString();
      const request = {
        countyId: county,
        asOf,
        from,
        recordedBy,
        maxCarerLoad: 1 + rnd.int(3),
      };
      const actual = await countyFigures(database.readModels.manager, request);
      if (recordedBy === null) {
        // The same figures read from the facts (a cut-off after every record) rather than from the derived states.
        const fromFacts = await countyFigures(database.readModels.manager, { ...request, recordedBy: '2100-01-01T00:00:00Z' });
        expect(plain(fromFacts)).toEqual(plain(actual));
      }
      expect({ request, figures: plain(actual) }).toEqual({
        request,
        figures: plain(reference(events, request)),
      });
    }
    // A series reads every date's sums at once: each point equals the figures of its date alone.
    // A month's last day reads that month's monthly sums rather than its days: one date is one.
    const dates = Array.from({ length: 4 }, () => toCountyIso(START + (30 + rnd.int(520)) * DAY_MS).slice(0, 10));
    const monthAfter = toCountyIso(startOfDay(`${dates[3].slice(0, 7)}-01`) + 32 * DAY_MS).slice(0, 8);
    dates.push(toCountyIso(startOfDay(`${monthAfter}01`) - DAY_MS).slice(0, 10));
    const request = { countyId: county, asOf: dates[0], from: toCountyIso(START + rnd.int(400) * DAY_MS).slice(0, 10), recordedBy: null, maxCarerLoad: 2 };
    const series = await countyFiguresSeries(database.readModels.manager, request, dates);
    for (const [i, asOf] of dates.entries()) {
      expect({ asOf, figures: plain(series[i]) }).toEqual({ asOf, figures: plain(await countyFigures(database.readModels.manager, { ...request, asOf })) });
      expect({ asOf, figures: plain(series[i]) }).toEqual({ asOf, figures: plain(reference(events, { ...request, asOf })) });
    }
    // What the projector kept, batch by batch and with replays, is what a rebuild derives at once.
    const kept = await derivedSums();
    await database.readModels.transaction((manager) => deriveAll(manager));
    expect(await derivedSums()).toEqual(kept);
  }, 60_000);
});
