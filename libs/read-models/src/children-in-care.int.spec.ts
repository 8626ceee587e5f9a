import { randomUUID } from 'node:crypto';
import type { ProjectedEvent } from './projection/projected-event';
import { factOf } from './projection/facts-of';
import { childrenInCare } from './queries/children-in-care.sql';
import type { Scope } from './queries/scope';
import { useReadModelsDatabase } from './testing/read-models-database';

let position = 0;
function event(subject: string, type: string, occurredAt: string, data: Record<string, unknown>, recordedAt = '2026-01-01T00:00:00Z'): ProjectedEvent {
  position += 1;
  return { eventId: randomUUID(), type, streamId: subject, globalPosition: position, occurredAt, recordedAt, data, metadata: { schoolId: null } };
}
const school = (id: string, townshipId: string, countyId = 'county-1') =>
  event(`school-${id}`, 'SchoolRegistered', '2024-08-01T08:00:00+08:00', {
    name: `school ${id}`, countyId, countyName: '旺苍县', townshipId, townshipName: `township ${townshipId}`, level: 'primary', boarding: false,
  });
const registered = (child: string, schoolId: string, occurredAt: string, category = 'left-behind', recordedAt?: string) =>
  event(`child-${child}`, 'ChildRegistered', occurredAt, {
    schoolId, grade: 3, className: '3-1', gender: 'female', birthMonth: '2016-05', category, parentsAway: 'both', guardianType: 'grandparent',
    personalFields: ['name', 'guardian.name', 'guardian.phone'], personal: { sealed: 'c2VjcmV0IG5hbWUgOiDlvKDkuIk=' },
  }, recordedAt);
const enrollment = (child: string, change: string, schoolId: string, occurredAt: string, otherSchoolId?: string, recordedAt?: string) =>
  event(`child-${child}`, 'EnrollmentChanged', occurredAt, { change, schoolId, ...(otherSchoolId ? { otherSchoolId } : {}) }, recordedAt);
const statusEnded = (child: string, occurredAt: string) => event(`child-${child}`, 'LeftBehindStatusEnded', occurredAt, { reason: 'parents-returned' });
const statusResumed = (child: string, occurredAt: string) => event(`child-${child}`, 'LeftBehindStatusResumed', occurredAt, { parentsAway: 'father' });

describe('children in care (INDICATORS.md "Who counts")', () => {
  const database = useReadModelsDatabase();

  const { given } = database;
  const at = (scope: Scope, asOf: string, recordedBy: string | null = null) => childrenInCare(database.readModels.manager, { scope, asOf, recordedBy });
  const inSchool = (id: string, asOf: string, recordedBy: string | null = null) => at({ kind: 'school', id }, asOf, recordedBy);

  it('counts a child from its registration at the school, by county-local days', async () => {
    await given(registered('a1', 's-a', '2025-03-01T23:30:00+08:00'));
    expect(await inSchool('s-a', '2025-02-28')).toEqual({ childrenInCare: 0, leftBehindChildren: 0 });
    expect(await inSchool('s-a', '2025-03-01')).toEqual({ childrenInCare: 1, leftBehindChildren: 1 });
    await given(registered('a2', 's-a', '2025-03-02T00:10:00+08:00', 'orphan'));
    expect(await inSchool('s-a', '2025-03-01')).toEqual({ childrenInCare: 1, leftBehindChildren: 1 });
    expect(await inSchool('s-a', '2025-03-02')).toEqual({ childrenInCare: 2, leftBehindChildren: 1 });
  });

  it('moves a transferred child from the old school to the new one', async () => {
    await given(
      registered('b1', 's-b', '2025-03-01T10:00:00+08:00'),
      enrollment('b1', 'transferred-out', 's-b', '2025-04-01T10:00:00+08:00', 's-c'),
      enrollment('b1', 'transferred-in', 's-c', '2025-04-03T10:00:00+08:00', 's-b'),
    );
    expect([await inSchool('s-b', '2025-03-31'), await inSchool('s-c', '2025-03-31')].map((r) => r.childrenInCare)).toEqual([1, 0]);
    expect([await inSchool('s-b', '2025-04-02'), await inSchool('s-c', '2025-04-02')].map((r) => r.childrenInCare)).toEqual([0, 0]);
    expect([await inSchool('s-b', '2025-04-03'), await inSchool('s-c', '2025-04-03')].map((r) => r.childrenInCare)).toEqual([0, 1]);
  });

  it('drops a dropped-out child until it returns, at the school recording the return', async () => {
    await given(
      registered('d1', 's-d', '2025-03-01T10:00:00+08:00'),
      enrollment('d1', 'dropped-out', 's-d', '2025-05-01T10:00:00+08:00'),
      enrollment('d1', 'returned', 's-e', '2025-06-01T10:00:00+08:00'),
    );
    expect((await inSchool('s-d', '2025-04-30')).childrenInCare).toBe(1);
    expect((await inSchool('s-d', '2025-05-01')).childrenInCare).toBe(0);
    expect((await inSchool('s-d', '2025-06-01')).childrenInCare).toBe(0);
    expect((await inSchool('s-e', '2025-06-01')).childrenInCare).toBe(1);
  });

  it('ends with graduation but not with promotion', async () => {
    await given(
      registered('g1', 's-g', '2025-03-01T10:00:00+08:00'),
      registered('g2', 's-g', '2025-03-01T10:00:00+08:00'),
      enrollment('g1', 'graduated', 's-g', '2025-07-01T10:00:00+08:00'),
      enrollment('g2', 'promoted', 's-g', '2025-07-01T10:00:00+08:00'),
    );
    expect((await inSchool('s-g', '2025-06-30')).childrenInCare).toBe(2);
    expect((await inSchool('s-g', '2025-07-01')).childrenInCare).toBe(1);
  });

  it('counts a left-behind child only while its left-behind status is active', async () => {
    await given(
      registered('l1', 's-l', '2025-03-01T10:00:00+08:00'),
      registered('l2', 's-l', '2025-03-01T10:00:00+08:00', 'single-parent'),
      statusEnded('l1', '2025-04-01T10:00:00+08:00'),
      statusResumed('l1', '2025-05-01T10:00:00+08:00'),
    );
    expect(await inSchool('s-l', '2025-03-31')).toEqual({ childrenInCare: 2, leftBehindChildren: 1 });
    expect(await inSchool('s-l', '2025-04-01')).toEqual({ childrenInCare: 1, leftBehindChildren: 0 });
    expect(await inSchool('s-l', '2025-05-01')).toEqual({ childrenInCare: 2, leftBehindChildren: 1 });
  });

  it('counts late records about earlier times, except before the recordedBy cut-off', async () => {
    await given(
      registered('r1', 's-r', '2025-03-01T10:00:00+08:00', 'left-behind', '2025-03-01T02:00:00Z'),
      enrollment('r1', 'dropped-out', 's-r', '2025-03-10T10:00:00+08:00', undefined, '2025-04-20T02:00:00Z'),
    );
    expect((await inSchool('s-r', '2025-03-31')).childrenInCare).toBe(0);
    expect((await inSchool('s-r', '2025-03-31', '2025-04-01T00:00:00Z')).childrenInCare).toBe(1);
    expect((await inSchool('s-r', '2025-03-31', '2025-02-01T00:00:00Z')).childrenInCare).toBe(0);
  });

  it('counts a child once in a township or county scope, across the schools registered in it', async () => {
    await given(
      school('t-1', 'town-1', 'county-x'),
      school('t-2', 'town-1', 'county-x'),
      school('t-3', 'town-2', 'county-x'),
      registered('t1', 't-1', '2025-03-01T10:00:00+08:00'),
      registered('t2', 't-3', '2025-03-01T10:00:00+08:00'),
      enrollment('t1', 'transferred-in', 't-2', '2025-03-20T10:00:00+08:00', 't-1'),
      enrollment('t1', 'transferred-out', 't-1', '2025-03-21T10:00:00+08:00', 't-2'),
    );
    expect((await at({ kind: 'township', id: 'town-1' }, '2025-03-20')).childrenInCare).toBe(1);
    expect((await at({ kind: 'township', id: 'town-1' }, '2025-03-31')).childrenInCare).toBe(1);
    expect((await at({ kind: 'township', id: 'town-2' }, '2025-03-31')).childrenInCare).toBe(1);
    expect((await at({ kind: 'county', id: 'county-x' }, '2025-03-31')).childrenInCare).toBe(2);
  });

  it('is unchanged by applying the same events again and by personal-data erasure', async () => {
    const events = [registered('i1', 's-i', '2025-03-01T10:00:00+08:00'), enrollment('i1', 'promoted', 's-i', '2025-07-01T10:00:00+08:00')];
    expect(await given(...events)).toBe(2);
    expect(await given(...events)).toBe(0);
    await given(event('child-i1', 'PersonalDataErased', '2025-08-01T10:00:00+08:00', { reason: 'request' }));
    expect((await inSchool('s-i', '2025-09-01')).childrenInCare).toBe(1);
  });

  it('never stores personal data', async () => {
    const tables = (await database.readModels.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'read_models' AND table_type = 'BASE TABLE'`,
    )) as { table_name: string }[];
    for (const { table_name } of tables) {
      const [{ hits }] = (await database.readModels.query(`SELECT count(*)::int AS hits FROM ${table_name} t WHERE t::text LIKE '%c2VjcmV0%'`)) as [{ hits: number }];
      expect({ table_name, hits }).toEqual({ table_name, hits: 0 });
    }
  });

  it('refuses an event it cannot read, naming the field', () => {
    expect(() => factOf(event('child-x', 'ChildRegistered', '2025-03-01T10:00:00+08:00', { schoolId: 's', grade: 'three' }))).toThrow(
      /data\.grade must be a number/,
    );
    expect(() => factOf(event('child-x', 'ChildRenamed', '2025-03-01T10:00:00+08:00', {}))).toThrow(/type is unknown/);
  });
});
