import { createHash } from 'node:crypto';
import type { ChildRegisteredData, SubmittedEvent } from '@lbc/domain';
import { EVENT_TYPES, instantOf } from '@lbc/domain';
import type { GeneratedEvent } from './generate-county';
import { generateCounty } from './generate-county';
import { ndjsonLines } from './ndjson';
import { recordThroughDomain } from './testing/record-through-domain';

const END = '2026-06-30';
const digest = (events: Iterable<GeneratedEvent>) => {
  const hash = createHash('sha256');
  for (const e of events) hash.update(JSON.stringify(e));
  return hash.digest('hex');
};
const share = (part: number, whole: number) => part / whole;

describe('generateCounty', () => {
  const options = { seed: 42, children: 1000, months: 24, end: END };
  const county = [...generateCounty(options)];
  const ofType = <T extends SubmittedEvent['type']>(type: T) => county.map((e) => e.event).filter((e): e is Extract<SubmittedEvent, { type: T }> => e.type === type);

  it('is deterministic in its options: the same seed gives the same county, another seed another', () => {
    const small = { ...options, children: 300, months: 12 };
    expect(digest(generateCounty(small))).toBe(digest(generateCounty(small)));
    expect(digest(generateCounty({ ...small, seed: 43 }))).not.toBe(digest(generateCounty(small)));
    expect(new Set(county.map((e) => e.event.eventId)).size).toBe(county.length);
  });

  it('holds every event type of INTERCHANGE.md', () => {
    const types = new Set(county.map((e) => e.event.type));
    expect([...EVENT_TYPES].filter((type) => !types.has(type))).toEqual([]);
    const erased = ofType('PersonalDataErased');
    expect(erased.some((e) => 'childId' in e)).toBe(true);
    expect(erased.some((e) => 'carerId' in e)).toBe(true);
  });

  it.each([3, 2])('is accepted whole by the domain, recorded in its order with the carer load limit at %i', (maxCarerLoad) => {
    const events = maxCarerLoad === 3 ? county : [...generateCounty({ ...options, children: 300, maxCarerLoad })];
    const { recorded, rejected } = recordThroughDomain(events, { maxCarerLoad, now: '2026-07-01T00:00:00+08:00' });
    expect(rejected.slice(0, 3)).toEqual([]);
    expect(recorded).toBe(events.length);
  });

  it('sizes the county by its options: children, schools, townships, months', () => {
    const registered = ofType('ChildRegistered');
    expect(registered).toHaveLength(1000);
    const schools = ofType('SchoolRegistered');
    expect(schools).toHaveLength(4);
    expect(new Set(schools.map((s) => s.data.townshipId)).size).toBe(1);
    const small = [...generateCounty({ seed: 1, children: 300, months: 3, end: END, schools: 4, townships: 2 })];
    expect(small.filter((e) => e.event.type === 'SchoolRegistered').map((e) => (e.event.data as { townshipId: string }).townshipId)).toHaveLength(4);
    expect(new Set(small.filter((e) => e.event.type === 'SchoolRegistered').map((e) => (e.event.data as { townshipId: string }).townshipId)).size).toBe(2);
    const occurred = small.map((e) => instantOf(e.event.occurredAt));
    // Three months back from 30 June, the day after 30 March.
    expect(occurred.reduce((min, ms) => Math.min(min, ms))).toBeGreaterThanOrEqual(instantOf('2026-03-31T00:00:00+08:00'));
    expect(occurred.reduce((max, ms) => Math.max(max, ms))).toBeLessThan(instantOf('2026-07-01T00:00:00+08:00'));
  });

  it('gives guardianship like the seeds: about 74% grandparent, 25% relative, 1% none among left-behind children', () => {
    const leftBehind = ofType('ChildRegistered').filter((e) => e.data.category === 'left-behind');
    expect(share(leftBehind.length, 1000)).toBeGreaterThan(0.75);
    const of = (type: ChildRegisteredData['guardianType']) => share(leftBehind.filter((e) => e.data.guardianType === type).length, leftBehind.length);
    expect(of('grandparent')).toBeCloseTo(0.74, 1);
    expect(of('relative')).toBeCloseTo(0.25, 1);
    expect(of('none')).toBeLessThan(0.03);
  });

  it('keeps the 五个一 imperfectly, and differently from school to school', () => {
    const schoolOf = new Map(ofType('ChildRegistered').map((e) => [e.childId, e.data.schoolId]));
    const talksPerChild = new Map<string, number>();
    for (const talk of ofType('CareActivityRecorded').filter((e) => e.data.kind === 'talk')) {
      const school = schoolOf.get(talk.childId) as string;
      talksPerChild.set(school, (talksPerChild.get(school) ?? 0) + 1);
    }
    const perSchool = [...talksPerChild].map(([school, talks]) => talks / [...schoolOf.values()].filter((s) => s === school).length);
    expect(Math.max(...perSchool) / Math.min(...perSchool)).toBeGreaterThan(1.2);
    // Two school years hold about 80 school weeks: a talk in most, never in every one.
    expect(Math.max(...perSchool)).toBeLessThan(80);
    const kinds = new Set(ofType('CareActivityRecorded').map((e) => e.data.kind));
    for (const kind of ['talk', 'guardian-contact', 'home-visit', 'aid', 'parent-meeting', 'health-check', 'family-call', 'video-call'] as const) expect(kinds).toContain(kind);
    expect(ofType('CareActivityRecorded').filter((e) => e.data.kind === 'aid').every((e) => (e.data.amountYuan ?? 0) > 0)).toBe(true);
    expect(ofType('CareActivityRecorded').some((e) => e.data.homeId !== undefined)).toBe(true);
  });

  it('pairs teachers with 2–3 children and volunteers of the county organisations with key-assistance children', () => {
    const carers = new Map(ofType('CarerRegistered').map((e) => [e.carerId, e.data]));
    const started = ofType('PairingStarted');
    expect(started.every((p) => carers.get(p.data.carerId)?.role === p.data.role)).toBe(true);
    const organisations = new Set(started.map((p) => carers.get(p.data.carerId)?.organisation));
    expect(organisations).toContain('school');
    expect([...organisations].filter((o) => o !== 'school').length).toBeGreaterThan(1);
    expect(ofType('CarerRetired').length).toBeGreaterThan(0);
  });

  it('records most events at the school’s next upload and some weeks late, never before they occurred', () => {
    const lag = county.map((e) => instantOf(e.recordedAt) - instantOf(e.event.occurredAt));
    expect(lag.reduce((min, ms) => Math.min(min, ms))).toBeGreaterThanOrEqual(0);
    const late = lag.filter((ms) => ms > 13 * 86_400_000).length;
    expect(share(late, county.length)).toBeGreaterThan(0.005);
    expect(share(late, county.length)).toBeLessThan(0.05);
    expect(new Set(county.map((e) => e.recordedBy)).size).toBe(4);
  });

  it('writes NDJSON: one submitted event per line, nothing else', () => {
    const first = county.slice(0, 50);
    const lines = [...ndjsonLines(first)];
    expect(lines.every((line) => line.endsWith('\n'))).toBe(true);
    expect(lines.map((line) => JSON.parse(line))).toEqual(first.map((e) => e.event));
  });

  it('refuses options it cannot honour', () => {
    expect(() => generateCounty({ seed: 1, children: 0, months: 12, end: END }).next()).toThrow('children');
    expect(() => generateCounty({ seed: 1, children: 10, months: 12, end: '2026-02-30' }).next()).toThrow('end');
  });
});
