import type { ProjectedEvent } from '../projection/projected-event';
import { useReadModelsDatabase } from '../testing/read-models-database';
import { countyFigures, countyFiguresSeries, countyOfScope, dataAsOf } from './county-figures.sql';
import type { CountyFigures, UnitFigures } from './unit-figures';

// Given events → then figures, each computed by hand from INDICATORS.md. Every test has a county
// of its own (two townships: t1 with schools a and b, t2 with school c) so that tests don't mix.
let position = 0;
let counties = 0;

function world() {
  const county = `county-${++counties}`;
  const s = (name: string) => `${county}-${name}`;
  const event = (
    streamId: string,
    type: string,
    occurredAt: string,
    data: Record<string, unknown>,
    schoolId: string | null,
    recordedAt?: string,
  ): ProjectedEvent => ({
    eventId: `00000000-0000-4000-8000-${String(++position).padStart(12, '0')}`,
    type,
    streamId,
    globalPosition: position,
    occurredAt,
    recordedAt: recordedAt ?? new Date(Date.parse(occurredAt) + 60_000).toISOString(),
    data,
    metadata: { schoolId },
  });
  const schools = (
    [
      ['a', 't1'],
      ['b', 't1'],
      ['c', 't2'],
    ] as const
  ).map(([name, township]) =>
    event(
      `school-${s(name)}`,
      'SchoolRegistered',
      '2024-08-01T08:00:00+08:00',
      {
        name: `学校 ${name}`,
        countyId: county,
        countyName: '旺苍县',
        townshipId: s(township),
        townshipName: `镇 ${township}`,
        level: 'primary',
        boarding: false,
      },
      null,
    ),
  );
  const child = (id: string) => {
    const stream = `child-${county}-${id}`;
    const at = (school: string) => s(school);
    return {
      id: `${county}-${id}`,
      registered: (school: string, occurredAt: string, extra: Record<string, unknown> = {}, recordedAt?: string) =>
        event(
          stream,
          'ChildRegistered',
          occurredAt,
          {
            schoolId: at(school),
            grade: 3,
            className: '3-1',
            gender: 'female',
            birthMonth: '2016-05',
            category: 'left-behind',
            parentsAway: 'both',
            guardianType: 'grandparent',
            personalFields: ['guardian.name', 'guardian.phone', 'homeAddress', 'parents[0].phone', 'parents[0].workCity'],
            ...extra,
          },
          at(school),
          recordedAt,
        ),
      enrollment: (change: string, school: string, occurredAt: string, other?: string, recordedAt?: string) =>
        event(
          stream,
          'EnrollmentChanged',
          occurredAt,
          { change, schoolId: at(school), ...(other ? { otherSchoolId: other.startsWith('x') ? other : at(other) } : {}) },
          at(school),
          recordedAt,
        ),
      statusEnded: (occurredAt: string) => event(stream, 'LeftBehindStatusEnded', occurredAt, { reason: 'parents-returned' }, null),
      statusResumed: (occurredAt: string, parentsAway = 'father') => event(stream, 'LeftBehindStatusResumed', occurredAt, { parentsAway }, null),
      paired: (pairingId: string, carer: string, occurredAt: string) =>
        event(stream, 'PairingStarted', occurredAt, { pairingId, carerId: `${county}-${carer}`, role: 'volunteer' }, null),
      unpaired: (pairingId: string, occurredAt: string) => event(stream, 'PairingEnded', occurredAt, { pairingId, reason: 'done' }, null),
      activity: (activityId: string, kind: string, school: string, occurredAt: string, extra: Record<string, unknown> = {}, recordedAt?: string) =>
        event(stream, 'CareActivityRecorded', occurredAt, { activityId: `${county}-${activityId}`, kind, ...extra }, at(school), recordedAt),
      voided: (activityId: string, occurredAt: string) =>
        event(stream, 'CareActivityVoided', occurredAt, { activityId: `${county}-${activityId}`, reason: 'twice' }, null),
      guardianship: (guardianType: string, occurredAt: string, personalFields: string[]) =>
        event(stream, 'GuardianshipChanged', occurredAt, { guardianType, personalFields }, null),
      archive: (occurredAt: string, data: Record<string, unknown>) =>
        event(stream, 'ArchiveUpdated', occurredAt, { personalFields: [], ...data }, null),
      flagged: (flag: string, occurredAt: string) => event(stream, 'RiskFlagged', occurredAt, { flag }, null),
      cleared: (flag: string, occurredAt: string) => event(stream, 'RiskCleared', occurredAt, { flag }, null),
      incident: (incidentId: string, occurredAt: string) =>
        event(stream, 'IncidentReported', occurredAt, { incidentId, kind: 'injury', severity: 'minor' }, null),
      notified: (incidentId: string, party: string, occurredAt: string) =>
        event(stream, 'IncidentPartyNotified', occurredAt, { incidentId, party }, null),
      resolved: (incidentId: string, occurredAt: string) => event(stream, 'IncidentResolved', occurredAt, { incidentId, outcome: 'ok' }, null),
    };
  };
  const carer = (id: string, organisation: string, retiredAt?: string) => [
    event(`carer-${county}-${id}`, 'CarerRegistered', '2024-08-02T08:00:00+08:00', { organisation, role: 'volunteer', partyMember: false }, null),
    ...(retiredAt ? [event(`carer-${county}-${id}`, 'CarerRetired', retiredAt, {}, null)] : []),
  ];
  const school = (name: string) => ({
    reported: (term: string, totalPupils: number, occurredAt: string) =>
      event(`school-${s(name)}`, 'EnrollmentReported', occurredAt, { term, totalPupils }, s(name)),
    homeOpened: (homeId: string, occurredAt: string) =>
      event(`school-${s(name)}`, 'CareHomeOpened', occurredAt, { homeId, name: '之家', facilities: [] }, s(name)),
    homeActivity: (homeId: string, occurredAt: string) =>
      event(`school-${s(name)}`, 'CareHomeActivityHeld', occurredAt, { homeId, participants: 9 }, s(name)),
  });
  return { county, s, schools, child, carer, school };
}

describe('county figures (INDICATORS.md, hand-computed)', () => {
  const database = useReadModelsDatabase();
  const figures = (county: string, asOf: string, options: { from?: string; recordedBy?: string | null; maxCarerLoad?: number } = {}) =>
    countyFigures(database.readModels.manager, {
      countyId: county,
      asOf,
      from: options.from ?? '2024-09-01',
      recordedBy: options.recordedBy ?? null,
      maxCarerLoad: options.maxCarerLoad ?? 3,
    });
  /** One figure per unit: county, then townships t1, t2, then schools a, b, c. */
  const perUnit = (w: ReturnType<typeof world>, result: CountyFigures, pick: (figures: UnitFigures) => unknown) => [
    pick(result.county),
    ...['t1', 't2'].map((t) => pick(result.townships.get(w.s(t)) as UnitFigures)),
    ...['a', 'b', 'c'].map((name) => pick(result.schools.get(w.s(name)) as UnitFigures)),
  ];

  it('lists every registered school with its township, and answers zeros (no child, no share to divide) for an empty county', async () => {
    const w = world();
    await database.given(...w.schools);
    const result = await figures(w.county, '2025-03-01');
    expect(result.units.map((unit) => [unit.townshipId, unit.schoolId, unit.schoolName])).toEqual([
      [w.s('t1'), w.s('a'), '学校 a'],
      [w.s('t1'), w.s('b'), '学校 b'],
      [w.s('t2'), w.s('c'), '学校 c'],
    ]);
    expect(perUnit(w, result, (f) => [f.childrenInCare, f.paired, f.dropout.cohort, f.carerLoad, f.incidents.count])).toEqual(
      Array(6).fill([0, 0, 0, { carers: 0, pairings: 0, max: 0, overLimit: 0 }, 0]),
    );
    expect(await figures(w.county, '2024-07-31')).toMatchObject({ units: [] });
    expect(await countyOfScope(database.readModels.manager, { kind: 'school', id: w.s('c') })).toBe(w.county);
    expect(await countyOfScope(database.readModels.manager, { kind: 'township', id: w.s('t1') })).toBe(w.county);
    expect(await countyOfScope(database.readModels.manager, { kind: 'county', id: w.county })).toBe(w.county);
    expect(await countyOfScope(database.readModels.manager, { kind: 'school', id: 'nowhere' })).toBeNull();
  });

  it('resolves a township id that two counties use only within the caller\'s county', async () => {
    const [w, other] = [world(), world()];
    const shared = (school: ProjectedEvent): ProjectedEvent => ({ ...school, data: { ...school.data, townshipId: 'township-shared' } });
    await database.given(shared(w.schools[0]), shared(other.schools[2]));
    const township = { kind: 'township', id: 'township-shared' } as const;
    expect(await countyOfScope(database.readModels.manager, township, w.county)).toBe(w.county);
    expect(await countyOfScope(database.readModels.manager, township, other.county)).toBe(other.county);
    expect(await countyOfScope(database.readModels.manager, township)).toBeNull();
    expect(await countyOfScope(database.readModels.manager, township, 'county-elsewhere')).toBeNull();
    expect(await countyOfScope(database.readModels.manager, { kind: 'school', id: w.s('a') }, other.county)).toBe(w.county);
  });

  it('follows transfers within the county and out of it, by county-local days (00:30 Shanghai is the previous day in UTC)', async () => {
    const w = world();
    const [moving, leaving, orphan] = [w.child('moving'), w.child('leaving'), w.child('orphan')];
    await database.given(
      ...w.schools,
      moving.registered('a', '2024-09-02T10:00:00+08:00'),
      moving.enrollment('transferred-out', 'a', '2025-03-02T00:30:00+08:00', 'c'),
      moving.enrollment('transferred-in', 'c', '2025-03-04T00:30:00+08:00', 'a'),
      leaving.registered('b', '2024-09-02T10:00:00+08:00'),
      leaving.enrollment('transferred-out', 'b', '2025-03-05T00:10:00+08:00', 'x-elsewhere'),
      orphan.registered('b', '2024-09-03T10:00:00+08:00', { category: 'orphan' }),
    );
    const inCare = async (asOf: string) => perUnit(w, await figures(w.county, asOf), (f) => [f.childrenInCare, f.leftBehindChildren]);
    expect(await inCare('2025-03-01')).toEqual([
      [3, 2],
      [3, 2],
      [0, 0],
      [1, 1],
      [2, 1],
      [0, 0],
    ]);
    expect(await inCare('2025-03-02')).toEqual([
      [2, 1],
      [2, 1],
      [0, 0],
      [0, 0],
      [2, 1],
      [0, 0],
    ]);
    expect(await inCare('2025-03-04')).toEqual([
      [3, 2],
      [2, 1],
      [1, 1],
      [0, 0],
      [2, 1],
      [1, 1],
    ]);
    expect(await inCare('2025-03-05')).toEqual([
      [2, 1],
      [1, 0],
      [1, 1],
      [0, 0],
      [1, 0],
      [1, 1],
    ]);
  });

  it('ends and resumes left-behind status; other categories count whatever their status', async () => {
    const w = world();
    const [lb, single] = [w.child('lb'), w.child('single')];
    await database.given(
      ...w.schools,
      lb.registered('a', '2024-09-02T10:00:00+08:00'),
      lb.statusEnded('2024-10-01T10:00:00+08:00'),
      lb.statusResumed('2024-11-01T10:00:00+08:00'),
      single.registered('a', '2024-09-02T10:00:00+08:00', { category: 'single-parent' }),
      single.statusEnded('2024-10-01T10:00:00+08:00'),
    );
    const inCare = async (asOf: string) => (await figures(w.county, asOf)).county.childrenInCare;
    expect([await inCare('2024-09-30'), await inCare('2024-10-01'), await inCare('2024-10-31'), await inCare('2024-11-01')]).toEqual([2, 1, 1, 2]);
  });

  it('counts the dropout cohort of the school year, dropouts not returned by asOf, and returns in the period — also a return followed by a transfer', async () => {
    const w = world();
    const [old, gone, back, moved, stay] = ['old', 'gone', 'back', 'moved', 'stay'].map(w.child);
    await database.given(
      ...w.schools,
      // Dropped out in the previous school year: not enrolled in this one, so in no cohort.
      old.registered('a', '2023-09-05T10:00:00+08:00'),
      old.enrollment('dropped-out', 'a', '2024-08-31T23:30:00+08:00'),
      // Dropped out in this one (in its first hour, 1 September 00:20, still 31 August in UTC), not back.
      gone.registered('a', '2023-09-05T10:00:00+08:00'),
      gone.enrollment('dropped-out', 'a', '2024-09-01T00:20:00+08:00'),
      back.registered('b', '2024-09-05T10:00:00+08:00'),
      back.enrollment('dropped-out', 'b', '2024-10-10T10:00:00+08:00'),
      back.enrollment('returned', 'b', '2024-11-10T10:00:00+08:00'),
      // A return at another school: the old school's return, then a transfer to c.
      moved.registered('a', '2024-09-05T10:00:00+08:00'),
      moved.enrollment('dropped-out', 'a', '2024-10-10T10:00:00+08:00'),
      moved.enrollment('returned', 'a', '2025-01-10T10:00:00+08:00'),
      moved.enrollment('transferred-out', 'a', '2025-01-11T10:00:00+08:00', 'c'),
      moved.enrollment('transferred-in', 'c', '2025-01-12T10:00:00+08:00', 'a'),
      stay.registered('c', '2024-09-05T10:00:00+08:00'),
    );
    const dropout = async (asOf: string, from = '2024-09-01') =>
      perUnit(w, await figures(w.county, asOf, { from }), (f) => [f.dropout.cohort, f.dropout.droppedOut, f.returnedAfterDropout]);
    // 2024-10-31: cohort a {gone, moved}, b {back}, c {stay}; dropped out: gone, back, moved.
    expect(await dropout('2024-10-31')).toEqual([
      [4, 3, 0],
      [3, 3, 0],
      [1, 0, 0],
      [2, 2, 0],
      [1, 1, 0],
      [1, 0, 0],
    ]);
    // 2025-01-12: back and moved returned; moved now also in c's cohort.
    expect(await dropout('2025-01-12')).toEqual([
      [4, 1, 2],
      [3, 1, 2],
      [2, 0, 0],
      [2, 1, 1],
      [1, 0, 1],
      [2, 0, 0],
    ]);
    expect(await dropout('2025-01-12', '2024-12-01')).toEqual([
      [4, 1, 1],
      [3, 1, 1],
      [2, 0, 0],
      [2, 1, 1],
      [1, 0, 0],
      [2, 0, 0],
    ]);
    // The next school year: none of them left in it, nobody enrolled dropped out.
    expect(await dropout('2025-09-01', '2025-09-01')).toEqual([
      [3, 0, 0],
      [1, 0, 0],
      [2, 0, 0],
      [0, 0, 0],
      [1, 0, 0],
      [2, 0, 0],
    ]);
  });

  it('counts pairings active until ended, until the child leaves care, or until the carer retires; carer load and volunteers per unit', async () => {
    const w = world();
    const [p, q, r, t] = ['p', 'q', 'r', 't'].map(w.child);
    await database.given(
      ...w.schools,
      ...w.carer('teacher', 'school'),
      ...w.carer('league', 'youth-league', '2025-02-01T10:00:00+08:00'),
      ...w.carer('village', 'village'),
      p.registered('a', '2024-09-02T10:00:00+08:00'),
      q.registered('a', '2024-09-02T10:00:00+08:00'),
      r.registered('b', '2024-09-02T10:00:00+08:00'),
      t.registered('c', '2024-09-02T10:00:00+08:00'),
      p.paired('p1', 'teacher', '2024-09-10T10:00:00+08:00'),
      q.paired('q1', 'teacher', '2024-09-10T10:00:00+08:00'),
      r.paired('r1', 'teacher', '2024-09-10T10:00:00+08:00'),
      p.paired('p2', 'league', '2024-09-10T10:00:00+08:00'),
      t.paired('t1', 'village', '2024-09-10T10:00:00+08:00'),
      q.unpaired('q1', '2024-12-01T10:00:00+08:00'),
      // Left care (status ended) and came back: the pairing stays ended.
      r.statusEnded('2024-12-10T10:00:00+08:00'),
      r.statusResumed('2024-12-20T10:00:00+08:00'),
      t.activity('v1', 'talk', 'c', '2024-11-01T10:00:00+08:00', { carerId: `${w.county}-village` }),
      t.activity('v2', 'talk', 'c', '2024-11-02T10:00:00+08:00', { carerId: `${w.county}-village` }),
      t.voided('v2', '2024-11-03T10:00:00+08:00'),
      p.activity('v3', 'talk', 'a', '2024-11-02T10:00:00+08:00', { carerId: `${w.county}-league` }),
      p.activity('v4', 'talk', 'a', '2024-11-03T10:00:00+08:00', { carerId: `${w.county}-teacher` }),
    );
    const pairs = async (asOf: string) =>
      perUnit(w, await figures(w.county, asOf, { maxCarerLoad: 2 }), (f) => [f.paired, f.carerLoad, f.volunteers]);
    const load = (carers: number, pairings: number, max: number, overLimit: number) => ({ carers, pairings, max, overLimit });
    const vol = (active: number, pairings: number, activities: number) => ({ active, pairings, activities });
    expect(await pairs('2024-11-30')).toEqual([
      [4, load(3, 5, 3, 1), vol(2, 2, 2)],
      [3, load(2, 4, 3, 1), vol(1, 1, 1)],
      [1, load(1, 1, 1, 0), vol(1, 1, 1)],
      [2, load(2, 3, 2, 0), vol(1, 1, 1)],
      [1, load(1, 1, 1, 0), vol(0, 0, 0)],
      [1, load(1, 1, 1, 0), vol(1, 1, 1)],
    ]);
    // q's pairing ended, r's ended when r left care, the league carer retired.
    expect(await pairs('2025-02-01')).toEqual([
      [2, load(2, 2, 1, 0), vol(1, 1, 1)],
      [1, load(1, 1, 1, 0), vol(0, 0, 0)],
      [1, load(1, 1, 1, 0), vol(1, 1, 1)],
      [1, load(1, 1, 1, 0), vol(0, 0, 0)],
      [0, load(0, 0, 0, 0), vol(0, 0, 0)],
      [1, load(1, 1, 1, 0), vol(1, 1, 1)],
    ]);
  });

  it('judges care cadence, family contact and health checks over their windows, voided activities never counting', async () => {
    const w = world();
    const [k, u] = [w.child('k'), w.child('u')];
    await database.given(
      ...w.schools,
      ...w.carer('teacher', 'school'),
      k.registered('a', '2024-03-01T10:00:00+08:00'),
      u.registered('a', '2024-09-02T10:00:00+08:00'),
      k.paired('k1', 'teacher', '2024-03-02T10:00:00+08:00'),
      // asOf 2025-03-10: the last 7 days are 4–10 March, county-local.
      k.activity('t1', 'talk', 'a', '2025-03-04T00:30:00+08:00'),
      u.activity('t2', 'talk', 'a', '2025-03-09T10:00:00+08:00'),
      k.activity('g1', 'guardian-contact', 'a', '2025-02-09T00:00:00+08:00'),
      k.activity('h1', 'home-visit', 'a', '2024-12-09T00:00:00+08:00'),
      // Aid on the fall semester's last day: not in the spring semester.
      k.activity('a1', 'aid', 'a', '2025-01-31T23:59:00+08:00', { amountYuan: 150.5 }),
      k.activity('m1', 'parent-meeting', 'a', '2024-03-11T00:00:00+08:00'),
      k.activity('f1', 'video-call', 'a', '2025-02-09T00:00:00+08:00'),
      u.activity('f2', 'family-call', 'a', '2025-03-01T10:00:00+08:00'),
      u.activity('f3', 'family-call', 'a', '2025-03-02T10:00:00+08:00'),
      u.voided('f2', '2025-03-03T10:00:00+08:00'),
      k.activity('c1', 'health-check', 'a', '2024-08-31T23:00:00+08:00'),
      u.activity('c2', 'health-check', 'a', '2024-09-01T00:00:00+08:00'),
    );
    const at = async (asOf: string) => {
      const f = (await figures(w.county, asOf)).county;
      return { cadence: f.careCadence, paired: f.paired, family: f.familyContact30d, health: f.healthChecked };
    };
    expect(await at('2025-03-10')).toEqual({
      cadence: { talk7d: 1, contact30d: 1, homeVisit92d: 1, aidSemester: 0, parentMeeting365d: 1 },
      paired: 1,
      family: 2,
      health: 1,
    });
    expect(await at('2025-03-11')).toEqual({
      cadence: { talk7d: 0, contact30d: 0, homeVisit92d: 0, aidSemester: 0, parentMeeting365d: 0 },
      paired: 1,
      family: 1,
      health: 1,
    });
    expect((await at('2025-01-31')).cadence.aidSemester).toBe(1);
  });

  it('judges archive completeness and guardianship from the archive as updated, and counts risk flags', async () => {
    const w = world();
    const [full, thin, home] = [w.child('full'), w.child('thin'), w.child('home')];
    await database.given(
      ...w.schools,
      ...w.carer('teacher', 'school'),
      full.registered('a', '2024-09-02T10:00:00+08:00'),
      thin.registered('a', '2024-09-02T10:00:00+08:00', { personalFields: ['guardian.name', 'guardian.phone', 'homeAddress', 'parents[0].phone'] }),
      home.registered('b', '2024-09-02T10:00:00+08:00', {
        category: 'orphan',
        parentsAway: 'none',
        guardianType: 'none',
        personalFields: ['guardian.name', 'homeAddress'],
      }),
      // A new guardianship without a phone: the old guardian's fields go.
      full.guardianship('relative', '2024-10-01T10:00:00+08:00', ['guardian.name']),
      thin.archive('2024-10-01T10:00:00+08:00', { personalFields: ['parents[1].phone', 'parents[1].workCity'] }),
      home.guardianship('entrusted', '2024-10-01T10:00:00+08:00', ['guardian.name', 'guardian.phone']),
      thin.flagged('safety', '2024-10-01T10:00:00+08:00'),
      thin.flagged('academic', '2024-10-02T10:00:00+08:00'),
      home.flagged('poverty', '2024-10-01T10:00:00+08:00'),
      thin.paired('t1', 'teacher', '2024-10-01T10:00:00+08:00'),
      home.cleared('poverty', '2024-11-01T10:00:00+08:00'),
      thin.cleared('safety', '2024-11-01T10:00:00+08:00'),
    );
    const at = async (asOf: string) => {
      const f = (await figures(w.county, asOf)).county;
      return [f.archiveComplete, f.guardianNotNone, f.guardianshipByType, f.keyAssistance];
    };
    const types = (grandparent: number, relative: number, entrusted: number, none: number) => ({
      grandparent,
      relative,
      entrusted,
      'parent-at-home': 0,
      none,
    });
    expect(await at('2024-09-30')).toEqual([1, 2, types(2, 0, 0, 1), { children: 0, paired: 0 }]);
    expect(await at('2024-10-02')).toEqual([2, 3, types(1, 1, 1, 0), { children: 2, paired: 1 }]);
    expect(await at('2024-11-01')).toEqual([2, 3, types(1, 1, 1, 0), { children: 1, paired: 1 }]);
  });

  it('counts aid, incidents within deadlines and open, care homes and pupils over the period', async () => {
    const w = world();
    const [i, j] = [w.child('i'), w.child('j')];
    await database.given(
      ...w.schools,
      w.school('a').reported('2024-fall', 400, '2024-09-05T10:00:00+08:00'),
      w.school('a').reported('2025-spring', 420, '2025-02-05T10:00:00+08:00'),
      w.school('c').reported('2024-fall', 100, '2024-09-05T10:00:00+08:00'),
      w.school('a').homeOpened('h-a', '2024-09-10T10:00:00+08:00'),
      w.school('a').homeActivity('h-a', '2024-10-10T10:00:00+08:00'),
      w.school('a').homeActivity('h-a', '2025-03-10T10:00:00+08:00'),
      i.registered('a', '2024-09-02T10:00:00+08:00'),
      j.registered('c', '2024-09-02T10:00:00+08:00'),
      i.activity('x1', 'aid', 'a', '2024-10-01T10:00:00+08:00', { amountYuan: 200.25, homeId: 'h-a' }),
      i.activity('x2', 'aid', 'a', '2025-03-01T10:00:00+08:00', { amountYuan: 100 }),
      i.activity('x3', 'aid', 'a', '2025-03-02T10:00:00+08:00', { amountYuan: 999 }),
      i.voided('x3', '2025-03-03T10:00:00+08:00'),
      j.activity('x4', 'group-activity', 'c', '2025-03-01T10:00:00+08:00', { homeId: 'h-a' }),
      i.incident('n1', '2025-03-01T10:00:00+08:00'),
      i.notified('n1', 'guardian', '2025-03-01T10:30:00+08:00'),
      i.notified('n1', 'parents', '2025-03-01T11:01:00+08:00'),
      i.notified('n1', 'education-bureau', '2025-03-01T12:00:00+08:00'),
      i.resolved('n1', '2025-03-20T10:00:00+08:00'),
      j.incident('n2', '2024-10-01T10:00:00+08:00'),
      j.notified('n2', 'township-government', '2024-10-01T11:00:00+08:00'),
    );
    const at = async (asOf: string, from: string) =>
      perUnit(w, await figures(w.county, asOf, { from }), (f) => [
        f.pupils,
        f.aid,
        f.incidents.count,
        f.incidents.withinDeadline,
        f.incidents.open,
        f.careHomes,
      ]);
    const deadline = (guardian: number, parents: number, educationBureau: number, townshipGovernment: number) => ({
      guardian,
      parents,
      educationBureau,
      townshipGovernment,
    });
    expect(await at('2025-03-10', '2025-02-01')).toEqual([
      [520, { personTimes: 1, yuan: 100 }, 1, deadline(1, 0, 1, 0), 2, { homes: 1, childrenServed: 1, activities: 1 }],
      [420, { personTimes: 1, yuan: 100 }, 1, deadline(1, 0, 1, 0), 1, { homes: 1, childrenServed: 0, activities: 1 }],
      [100, { personTimes: 0, yuan: 0 }, 0, deadline(0, 0, 0, 0), 1, { homes: 0, childrenServed: 1, activities: 0 }],
      [420, { personTimes: 1, yuan: 100 }, 1, deadline(1, 0, 1, 0), 1, { homes: 1, childrenServed: 0, activities: 1 }],
      [0, { personTimes: 0, yuan: 0 }, 0, deadline(0, 0, 0, 0), 0, { homes: 0, childrenServed: 0, activities: 0 }],
      [100, { personTimes: 0, yuan: 0 }, 0, deadline(0, 0, 0, 0), 1, { homes: 0, childrenServed: 1, activities: 0 }],
    ]);
    const county = async (asOf: string, from: string) => (await figures(w.county, asOf, { from })).county;
    expect(await county('2025-03-31', '2024-09-01')).toMatchObject({
      pupils: 520,
      aid: { personTimes: 2, yuan: 300.25 },
      incidents: { count: 2, withinDeadline: deadline(1, 0, 1, 1), open: 1 },
      careHomes: { homes: 1, childrenServed: 2, activities: 2 },
    });
    expect(await county('2025-01-31', '2024-09-01')).toMatchObject({ pupils: 500, aid: { personTimes: 1, yuan: 200.25 } });
  });

  it('answers exactly as recorded by a past moment: a late-recorded dropout changes earlier figures only from when it was recorded', async () => {
    const w = world();
    const [late, early] = [w.child('late'), w.child('early')];
    const lateEvents = [
      late.registered('a', '2024-09-02T10:00:00+08:00', {}, '2024-09-02T03:00:00Z'),
      late.enrollment('dropped-out', 'a', '2024-10-01T10:00:00+08:00', undefined, '2024-11-15T02:00:00Z'),
      early.registered('b', '2024-09-03T10:00:00+08:00', {}, '2024-12-01T00:00:00Z'),
    ];
    await database.given(...w.schools, ...lateEvents);
    const at = async (asOf: string, recordedBy: string | null) => {
      const f = (await figures(w.county, asOf, { recordedBy })).county;
      return [f.childrenInCare, f.dropout.droppedOut, f.dropout.cohort];
    };
    expect(await at('2024-10-15', '2024-10-15T00:00:00Z')).toEqual([1, 0, 1]);
    expect(await at('2024-10-15', '2024-11-15T01:59:59Z')).toEqual([1, 0, 1]);
    expect(await at('2024-10-15', '2024-11-15T02:00:00Z')).toEqual([0, 1, 1]);
    expect(await at('2024-10-15', null)).toEqual([1, 1, 2]);
    const series = await countyFiguresSeries(
      database.readModels.manager,
      { countyId: w.county, asOf: '2024-10-31', from: '2024-09-01', recordedBy: '2024-11-20T00:00:00Z', maxCarerLoad: 3 },
      ['2024-09-30', '2024-10-31'],
    );
    expect(series.map((f) => f.county.childrenInCare)).toEqual([1, 0]);
  });

  it('says how fresh the read models are: the newest recordedAt they hold, whatever order events arrive in', async () => {
    const w = world();
    const c = w.child('c');
    await database.given(c.registered('a', '2024-09-02T10:00:00+08:00', {}, '2031-01-01T00:00:00.125Z'));
    expect(await dataAsOf(database.readModels.manager)).toBe('2031-01-01T00:00:00.125Z');
    await database.given(c.statusEnded('2024-09-03T10:00:00+08:00'));
    expect(await dataAsOf(database.readModels.manager)).toBe('2031-01-01T00:00:00.125Z');
  });
});
