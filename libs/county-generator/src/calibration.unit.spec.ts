import type { SubmittedEvent } from '@lbc/domain';
import { instantOf } from '@lbc/domain';
import { generateCounty } from './generate-county';
import { recordThroughDomain } from './testing/record-through-domain';

// The seeds' figures (../shared/seeds/) the generator is calibrated on, checked on one seeded
// county of 3,000 children over a year, within tolerances wide enough for sampling, narrow enough
// that a change of calibration shows.
const CHILDREN = 3000;
const county = [...generateCounty({ seed: 1, children: CHILDREN, months: 12, end: '2026-06-30' })];
const events = county.map((e) => e.event);
const ofType = <T extends SubmittedEvent['type']>(type: T) => events.filter((e): e is Extract<SubmittedEvent, { type: T }> => e.type === type);
const registered = ofType('ChildRegistered');
const leftBehind = registered.filter((e) => e.data.category === 'left-behind');
const schoolIds = new Set(ofType('SchoolRegistered').map((e) => e.schoolId));
const share = (part: number, whole: number) => part / whole;

describe('the generated county, calibrated on the seeds', () => {
  it('holds about 100 events a child a year: --children 50000 --months 12 gives about 5 million', () => {
    expect(share(events.length, CHILDREN)).toBeGreaterThan(85);
    expect(share(events.length, CHILDREN)).toBeLessThan(110);
  });

  it('has about half of its pupils left-behind (旺苍县: 50.6%), in the first term and in the last', () => {
    const reports = ofType('EnrollmentReported');
    const firstTerm = reports.filter((e) => e.data.term === reports[0].data.term);
    const pupils = firstTerm.reduce((sum, e) => sum + e.data.totalPupils, 0);
    expect(share(leftBehind.length, pupils)).toBeGreaterThan(0.45);
    expect(share(leftBehind.length, pupils)).toBeLessThan(0.56);
    // The last term's report counts the left-behind children then at school, as of its first day.
    const last = reports.filter((e) => e.data.term === reports[reports.length - 1].data.term);
    const reportedAt = instantOf(last[0].occurredAt);
    const state = new Map<string, boolean>();
    for (const e of events) {
      if (instantOf(e.occurredAt) > reportedAt || !('childId' in e)) continue;
      if (e.type === 'ChildRegistered') state.set(e.childId, e.data.category === 'left-behind');
      else if (e.type === 'LeftBehindStatusEnded' || (e.type === 'EnrollmentChanged' && ['transferred-out', 'dropped-out', 'graduated'].includes(e.data.change))) state.set(e.childId, false);
      else if (e.type === 'LeftBehindStatusResumed' || (e.type === 'EnrollmentChanged' && ['transferred-in', 'returned'].includes(e.data.change))) state.set(e.childId, registered.some((r) => r.childId === e.childId && r.data.category === 'left-behind'));
    }
    const atSchool = [...state.values()].filter(Boolean).length;
    const lastPupils = last.reduce((sum, e) => sum + e.data.totalPupils, 0);
    expect(share(atSchool, lastPupils)).toBeGreaterThan(0.45);
    expect(share(atSchool, lastPupils)).toBeLessThan(0.56);
  });

  it('places left-behind children with grandparents 74%, relatives 25%, no one 1% (隔代 74%, 寄养 25%, 无人监护 1%)', () => {
    const of = (type: string) => share(leftBehind.filter((e) => e.data.guardianType === type).length, leftBehind.length);
    expect(Math.abs(of('grandparent') - 0.74)).toBeLessThan(0.03);
    expect(Math.abs(of('relative') - 0.25)).toBeLessThan(0.03);
    expect(of('none')).toBeGreaterThan(0.002);
    expect(of('none')).toBeLessThan(0.02);
    // 落实监护人: children with no guardian are given one over time.
    expect(ofType('GuardianshipChanged').some((e) => e.data.guardianType !== 'none')).toBe(true);
  });

  it('pairs each teacher with 2–3 children (每位教师结对2—3名), with volunteers, love mothers and 代理家长 beside them', () => {
    const carers = new Map(ofType('CarerRegistered').map((e) => [e.carerId, e.data]));
    // Loads as the ingest counts them (the domain's fold), on a smaller county of the same seed.
    const smaller = [...generateCounty({ seed: 1, children: 600, months: 12, end: '2026-06-30' })];
    for (const e of smaller) if (e.event.type === 'CarerRegistered') carers.set(e.event.carerId, e.event.data);
    const { peakLoad, rejected } = recordThroughDomain(smaller, { maxCarerLoad: 3, now: '2026-07-01T00:00:00+08:00' });
    expect(rejected).toEqual([]);
    const teachers = [...peakLoad].filter(([carerId]) => carers.get(carerId)?.organisation === 'school').map(([, load]) => load);
    expect(Math.max(...teachers)).toBe(3);
    const mean = teachers.reduce((sum, n) => sum + n, 0) / teachers.length;
    expect(mean).toBeGreaterThan(2);
    expect(mean).toBeLessThanOrEqual(3);
    const roles = new Set(ofType('PairingStarted').map((e) => e.data.role));
    for (const role of ['head-teacher', 'subject-teacher', 'party-member-teacher', 'volunteer', 'love-mother', 'proxy-parent'] as const) expect(roles).toContain(role);
  });

  it('keeps the 五个一 imperfectly: a talk in most school weeks, not all; schools differ', () => {
    const schoolOf = new Map(registered.map((e) => [e.childId, e.data.schoolId]));
    const perSchool = new Map<string, { talks: number; children: number }>();
    for (const e of registered) perSchool.set(e.data.schoolId, { talks: 0, children: (perSchool.get(e.data.schoolId)?.children ?? 0) + 1 });
    for (const talk of ofType('CareActivityRecorded').filter((e) => e.data.kind === 'talk')) (perSchool.get(schoolOf.get(talk.childId) as string) as { talks: number }).talks++;
    // About 38 school weeks a year.
    const weekly = [...perSchool.values()].map(({ talks, children }) => talks / children / 38);
    const county = weekly.reduce((sum, n) => sum + n, 0) / weekly.length;
    expect(county).toBeGreaterThan(0.5);
    expect(county).toBeLessThan(0.95);
    expect(Math.max(...weekly) - Math.min(...weekly)).toBeGreaterThan(0.15);
    const kinds = new Set(ofType('CareActivityRecorded').map((e) => e.data.kind));
    for (const kind of ['talk', 'guardian-contact', 'home-visit', 'aid', 'parent-meeting', 'health-check', 'family-call', 'video-call'] as const) expect(kinds).toContain(kind);
  });

  it('gives aid in yuan, mostly small: about 84 yuan a person-time (4.3万人次 360余万元)', () => {
    const aid = ofType('CareActivityRecorded').filter((e) => e.data.kind === 'aid');
    const mean = aid.reduce((sum, e) => sum + (e.data.amountYuan ?? 0), 0) / aid.length;
    expect(mean).toBeGreaterThan(60);
    expect(mean).toBeLessThan(120);
    expect(aid.every((e) => Number.isInteger(e.data.amountYuan) && (e.data.amountYuan ?? 0) > 0)).toBe(true);
  });

  it('has children drop out and come back (劝返), and move within and out of the county', () => {
    const changes = ofType('EnrollmentChanged');
    const count = (change: string) => changes.filter((e) => e.data.change === change).length;
    expect(share(count('dropped-out'), CHILDREN)).toBeGreaterThan(0.003);
    expect(share(count('dropped-out'), CHILDREN)).toBeLessThan(0.03);
    expect(share(count('returned'), count('dropped-out'))).toBeGreaterThan(0.2);
    expect(share(count('returned'), count('dropped-out'))).toBeLessThan(0.85);
    const out = changes.filter((e) => e.data.change === 'transferred-out');
    const within = out.filter((e) => schoolIds.has(e.data.otherSchoolId as string)).length;
    expect(within).toBeGreaterThan(0);
    expect(out.length - within).toBeGreaterThan(0);
    expect(count('transferred-in')).toBe(within);
  });

  it('ends and resumes left-behind status, flags risks (重点帮扶对象) and clears some', () => {
    expect(share(ofType('LeftBehindStatusEnded').length, leftBehind.length)).toBeGreaterThan(0.02);
    expect(share(ofType('LeftBehindStatusEnded').length, leftBehind.length)).toBeLessThan(0.1);
    expect(ofType('LeftBehindStatusResumed').length).toBeGreaterThan(0);
    const flagged = new Set(ofType('RiskFlagged').map((e) => e.childId));
    expect(share(flagged.size, CHILDREN)).toBeGreaterThan(0.06);
    expect(share(flagged.size, CHILDREN)).toBeLessThan(0.2);
    expect(ofType('RiskCleared').length).toBeGreaterThan(0);
  });

  it('reports incidents and notifies their parties, most within the deadlines (30/60/120 min) and some late', () => {
    const reported = new Map(ofType('IncidentReported').map((e) => [e.data.incidentId, instantOf(e.occurredAt)]));
    const guardian = ofType('IncidentPartyNotified').filter((e) => e.data.party === 'guardian');
    const onTime = guardian.filter((e) => instantOf(e.occurredAt) - (reported.get(e.data.incidentId) as number) <= 30 * 60_000).length;
    expect(share(onTime, guardian.length)).toBeGreaterThan(0.7);
    expect(share(onTime, guardian.length)).toBeLessThan(0.97);
    expect(new Set(ofType('IncidentPartyNotified').map((e) => e.data.party)).size).toBe(4);
    expect(ofType('IncidentResolved').length).toBeLessThan(reported.size);
  });

  it('opens care homes (留守儿童之家) in every township with activities held in them', () => {
    const townships = new Set(ofType('SchoolRegistered').map((e) => e.data.townshipId));
    expect(ofType('CareHomeOpened').length).toBeGreaterThanOrEqual(townships.size);
    expect(ofType('CareHomeActivityHeld').length).toBeGreaterThan(ofType('CareHomeOpened').length * 10);
    expect(ofType('CareActivityRecorded').some((e) => e.data.homeId !== undefined)).toBe(true);
  });

  it('names people only with made-up names and numbers no line uses', () => {
    const personal = registered.map((e) => e.data.personal);
    expect(personal.every((p) => /^[\u4e00-\u9fff]{2,3}$/.test(p.name))).toBe(true);
    const phones = personal.flatMap((p) => [p.guardian?.phone, ...(p.parents ?? []).map((parent) => parent.phone)]).filter((phone) => phone !== undefined);
    expect(phones.length).toBeGreaterThan(CHILDREN);
    expect(phones.every((phone) => /^100-\d{4}-\d{4}$/.test(phone as string))).toBe(true);
  });
});

describe('named schools', () => {
  const named = [
    { schoolId: '00000000-0000-4000-8000-000000000001', name: '新华小学', townshipId: 'dongcheng', townshipName: '东城镇', level: 'primary', boarding: false },
    { schoolId: '00000000-0000-4000-8000-000000000002', name: '双桥村小', townshipId: 'dongcheng', townshipName: '东城镇', level: 'primary', boarding: false, children: 3 },
  ] as const;
  const small = [...generateCounty({ seed: 3, children: 400, months: 6, end: '2026-06-30', schools: 4, townships: 2, namedSchools: named })].map((e) => e.event);

  it('keeps their ids, names and townships, and the size given; the other schools share the rest', () => {
    const schools = small.filter((e): e is Extract<SubmittedEvent, { type: 'SchoolRegistered' }> => e.type === 'SchoolRegistered');
    expect(schools.slice(0, 2).map((e) => [e.schoolId, e.data.name, e.data.townshipId])).toEqual(named.map((s) => [s.schoolId, s.name, s.townshipId]));
    expect(new Set(schools.map((e) => e.data.townshipId)).size).toBe(2);
    const children = small.filter((e): e is Extract<SubmittedEvent, { type: 'ChildRegistered' }> => e.type === 'ChildRegistered');
    expect(children).toHaveLength(400);
    expect(children.filter((e) => e.data.schoolId === named[1].schoolId)).toHaveLength(3);
  });

  it('refuses more named children than the county has', () => {
    expect(() => generateCounty({ seed: 3, children: 2, months: 6, end: '2026-06-30', schools: 4, namedSchools: named }).next()).toThrow('namedSchools');
  });
});
