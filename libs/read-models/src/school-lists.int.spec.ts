import { randomUUID } from 'node:crypto';
import type { ProjectedEvent } from './projection/projected-event';
import type { ChildPageKey } from './queries/child-page';
import { parseChildCursor } from './queries/child-page';
import type { SchoolChildrenFilter } from './queries/school-children.sql';
import { parseIdCursor } from './queries/id-page';
import { schoolCareHomes, schoolCarers } from './queries/school-carers.sql';
import { schoolChildren } from './queries/school-children.sql';
import { schoolWorklist } from './queries/school-worklist.sql';
import { useReadModelsDatabase } from './testing/read-models-database';

let position = 0;
function event(streamId: string, type: string, occurredAt: string, data: Record<string, unknown>): ProjectedEvent {
  position += 1;
  return { eventId: randomUUID(), type, streamId, globalPosition: position, occurredAt, recordedAt: '2026-01-01T00:00:00Z', data, metadata: { schoolId: null } };
}
const REGISTERED_AT = '2024-03-01T08:00:00+08:00';
const registered = (child: string, schoolId: string, data: Record<string, unknown> = {}) =>
  event(`child-${child}`, 'ChildRegistered', REGISTERED_AT, {
    schoolId, grade: 3, className: '3(1)班', gender: 'female', birthMonth: '2016-05', category: 'left-behind', parentsAway: 'both',
    guardianType: 'grandparent', personalFields: ['name'], ...data,
  });
const on = (child: string, type: string, occurredAt: string, data: Record<string, unknown> = {}) => event(`child-${child}`, type, occurredAt, data);
const activity = (child: string, kind: string, occurredAt: string, activityId: string = randomUUID()) =>
  on(child, 'CareActivityRecorded', occurredAt, { activityId, kind, ...(kind === 'aid' ? { amountYuan: 200 } : {}) });
const paired = (child: string, carerId = `carer-${child}`, occurredAt = '2024-03-02T08:00:00+08:00', pairingId = `pairing-${child}`) =>
  on(child, 'PairingStarted', occurredAt, { pairingId, carerId, role: 'head-teacher' });

/** As of 2025-05-20 (spring semester), each duty done just inside its window. */
const ASOF = '2025-05-20';
const JUST_INSIDE = {
  talk: '2025-05-14T00:00:00+08:00',
  'guardian-contact': '2025-04-21T00:00:00+08:00',
  'home-visit': '2025-02-18T00:00:00+08:00',
  aid: '2025-02-01T00:00:00+08:00',
  'parent-meeting': '2024-05-21T00:00:00+08:00',
};
/** …and just outside it. */
const JUST_OUTSIDE = {
  talk: '2025-05-13T23:59:00+08:00',
  'guardian-contact': '2025-04-20T23:59:00+08:00',
  'home-visit': '2025-02-17T23:59:00+08:00',
  aid: '2025-01-31T23:59:00+08:00',
  'parent-meeting': '2024-05-20T23:59:00+08:00',
};
const allDuties = (child: string, times: Record<string, string>) => Object.entries(times).map(([kind, at]) => activity(child, kind, at));

describe('school lists: children and worklist', () => {
  const database = useReadModelsDatabase();

  const { given } = database;
  const children = (schoolId: string, filter: SchoolChildrenFilter = {}, asOf = ASOF, limit = 50, after: ChildPageKey | null = null) =>
    schoolChildren(database.readModels.manager, { schoolId, asOf, filter, limit, after });
  const ids = async (schoolId: string, filter: SchoolChildrenFilter = {}, asOf = ASOF) => (await children(schoolId, filter, asOf)).items.map((c) => c.childId);
  const worklist = (schoolId: string, asOf = ASOF, now = '2025-06-01T00:00:00+08:00', limit = 50) =>
    schoolWorklist(database.readModels.manager, { schoolId, asOf, now, limit, after: null });
  const worklistOf = async (schoolId: string, asOf = ASOF, now?: string) => {
    const page = await worklist(schoolId, asOf, now);
    return Object.fromEntries(page.items.map((item) => [item.childId, item]));
  };

  describe('children', () => {
    it('lists the children in care at the school as of the date, with grade, class, category, open flags and pairing', async () => {
      await given(
        registered('c-in', 's-1'),
        registered('c-orphan', 's-1', { category: 'orphan', grade: 5, className: '5(2)班' }),
        registered('c-other-school', 's-2'),
        registered('c-ended', 's-1'),
        on('c-ended', 'LeftBehindStatusEnded', '2025-04-01T10:00:00+08:00', { reason: 'parents-returned' }),
        registered('c-out', 's-1'),
        on('c-out', 'EnrollmentChanged', '2025-04-01T10:00:00+08:00', { change: 'transferred-out', schoolId: 's-1', otherSchoolId: 's-2' }),
        registered('c-later', 's-1'),
        on('c-later', 'EnrollmentChanged', '2025-05-21T10:00:00+08:00', { change: 'dropped-out', schoolId: 's-1' }),
        paired('c-in'),
        on('c-in', 'RiskFlagged', '2025-01-01T10:00:00+08:00', { flag: 'safety' }),
        on('c-in', 'RiskFlagged', '2025-01-01T10:00:00+08:00', { flag: 'academic' }),
        on('c-in', 'RiskFlagged', '2025-01-01T10:00:00+08:00', { flag: 'poverty' }),
        on('c-in', 'RiskCleared', '2025-02-01T10:00:00+08:00', { flag: 'poverty' }),
      );
      expect((await children('s-1')).items).toEqual([
        { childId: 'c-in', grade: 3, className: '3(1)班', category: 'left-behind', openRiskFlags: ['academic', 'safety'], paired: true },
        { childId: 'c-later', grade: 3, className: '3(1)班', category: 'left-behind', openRiskFlags: [], paired: false },
        { childId: 'c-orphan', grade: 5, className: '5(2)班', category: 'orphan', openRiskFlags: [], paired: false },
      ]);
      expect(await ids('s-1', {}, '2025-03-31')).toEqual(['c-ended', 'c-in', 'c-later', 'c-out', 'c-orphan']);
      expect(await ids('s-1', {}, '2025-05-21')).toEqual(['c-in', 'c-orphan']);
      expect(await ids('s-2')).toEqual(['c-other-school']);
      expect(await ids('s-1', {}, '2024-02-29')).toEqual([]);
    });

    it('takes grade and class from the latest archive update, and counts promotions after it', async () => {
      await given(
        registered('g-1', 's-g', { grade: 3, className: '3(1)班' }),
        on('g-1', 'EnrollmentChanged', '2024-07-01T10:00:00+08:00', { change: 'promoted', schoolId: 's-g' }),
        on('g-1', 'ArchiveUpdated', '2024-09-01T10:00:00+08:00', { className: '4(3)班', personalFields: [] }),
        registered('g-2', 's-g', { grade: 6, className: '6(1)班' }),
        on('g-2', 'ArchiveUpdated', '2024-09-01T10:00:00+08:00', { grade: 11, personalFields: [] }),
        on('g-2', 'EnrollmentChanged', '2025-01-01T10:00:00+08:00', { change: 'promoted', schoolId: 's-g' }),
        on('g-2', 'EnrollmentChanged', '2025-02-01T10:00:00+08:00', { change: 'promoted', schoolId: 's-g' }),
      );
      const rows = (await children('s-g')).items.map(({ childId, grade, className }) => ({ childId, grade, className }));
      expect(rows).toEqual([
        { childId: 'g-1', grade: 4, className: '4(3)班' },
        { childId: 'g-2', grade: 12, className: '6(1)班' },
      ]);
      expect((await children('s-g', {}, '2024-08-01')).items.map((c) => [c.grade, c.className])).toEqual([
        [4, '3(1)班'],
        [6, '6(1)班'],
      ]);
    });

    it('filters by grade, class, category and risk flag (one kind, or any)', async () => {
      await given(
        registered('f-1', 's-f', { grade: 2, className: '2(1)班' }),
        registered('f-2', 's-f', { grade: 2, className: '2(2)班', category: 'single-parent' }),
        registered('f-3', 's-f', { grade: 4, className: '4(1)班' }),
        on('f-1', 'RiskFlagged', '2025-01-01T10:00:00+08:00', { flag: 'health' }),
        on('f-3', 'RiskFlagged', '2025-01-01T10:00:00+08:00', { flag: 'psychological' }),
        on('f-2', 'RiskFlagged', '2025-01-01T10:00:00+08:00', { flag: 'health' }),
        on('f-2', 'RiskCleared', '2025-03-01T10:00:00+08:00', { flag: 'health' }),
      );
      expect(await ids('s-f', { grade: 2 })).toEqual(['f-1', 'f-2']);
      expect(await ids('s-f', { className: '2(2)班' })).toEqual(['f-2']);
      expect(await ids('s-f', { grade: 2, className: '4(1)班' })).toEqual([]);
      expect(await ids('s-f', { category: 'single-parent' })).toEqual(['f-2']);
      expect(await ids('s-f', { risk: 'health' })).toEqual(['f-1']);
      expect(await ids('s-f', { risk: 'health' }, '2025-02-01')).toEqual(['f-1', 'f-2']);
      expect(await ids('s-f', { risk: 'any' })).toEqual(['f-1', 'f-3']);
      expect(await ids('s-f', { risk: 'poverty' })).toEqual([]);
    });

    it('pages in grade, class, id order with an opaque cursor until nextCursor is null', async () => {
      const pupils = Array.from({ length: 7 }, (_, i) => `p-${i}`);
      await given(...pupils.map((child, i) => registered(child, 's-p', { grade: 1 + (i % 3), className: `${i % 2}班` })));
      const all = (await children('s-p')).items.map((c) => c.childId);
      expect(all).toHaveLength(7);
      const seen: string[] = [];
      let after: ChildPageKey | null = null;
      let pages = 0;
      for (;;) {
        const page = await children('s-p', {}, ASOF, 3, after);
        seen.push(...page.items.map((c) => c.childId));
        pages += 1;
        if (page.nextCursor === null) break;
        after = parseChildCursor(page.nextCursor);
        expect(after).not.toBeNull();
      }
      expect(pages).toBe(3);
      expect(seen).toEqual(all);
      const grades = (await children('s-p')).items.map((c) => c.grade);
      expect(grades).toEqual([...grades].sort());
      expect((await children('s-p', {}, ASOF, 7)).nextCursor).toBeNull();
      expect(parseChildCursor('not a cursor')).toBeNull();
      expect(parseChildCursor(Buffer.from('[1,2]').toString('base64url'))).toBeNull();
    });
  });

  describe('worklist', () => {
    it('lists a paired child with each cadence duty overdue only when it was not done within its window', async () => {
      await given(
        registered('w-done', 's-w'),
        paired('w-done'),
        ...allDuties('w-done', JUST_INSIDE),
        registered('w-late', 's-w'),
        paired('w-late'),
        ...allDuties('w-late', JUST_OUTSIDE),
        registered('w-never', 's-w'),
        paired('w-never'),
        activity('w-never', 'family-call', '2025-05-19T10:00:00+08:00'),
      );
      const items = await worklistOf('s-w');
      expect(Object.keys(items).sort()).toEqual(['w-late', 'w-never']);
      expect(items['w-late'].overdueDuties).toEqual([
        { duty: 'talk', lastDoneAt: '2025-05-13T23:59:00.000+08:00' },
        { duty: 'guardian-contact', lastDoneAt: '2025-04-20T23:59:00.000+08:00' },
        { duty: 'home-visit', lastDoneAt: '2025-02-17T23:59:00.000+08:00' },
        { duty: 'aid', lastDoneAt: '2025-01-31T23:59:00.000+08:00' },
        { duty: 'parent-meeting', lastDoneAt: '2024-05-20T23:59:00.000+08:00' },
      ]);
      expect(items['w-late']).toMatchObject({ paired: true, unnotifiedIncidents: [] });
      expect(items['w-never'].overdueDuties.map((d) => [d.duty, d.lastDoneAt])).toEqual([
        ['talk', null],
        ['guardian-contact', null],
        ['home-visit', null],
        ['aid', null],
        ['parent-meeting', null],
      ]);
      // A day later each duty done just inside its window is overdue, but the aid of this semester.
      expect((await worklistOf('s-w', '2025-05-21'))['w-done'].overdueDuties.map((d) => d.duty)).toEqual(['talk', 'guardian-contact', 'home-visit', 'parent-meeting']);
      // Activities after asOf do not count as of it.
      expect((await worklistOf('s-w', '2025-05-13'))['w-done'].overdueDuties.map((d) => d.duty)).toEqual(['talk']);
    });

    it('names the carers of each child’s active pairings, the earliest paired first: whose duties they are', async () => {
      await given(
        registered('c-two', 's-c'),
        on('c-two', 'PairingStarted', '2024-04-01T08:00:00+08:00', { pairingId: 'pairing-late', carerId: 'carer-volunteer', role: 'volunteer' }),
        paired('c-two', 'carer-teacher', '2024-03-02T08:00:00+08:00', 'pairing-early'),
        paired('c-two', 'carer-gone', '2024-03-03T08:00:00+08:00', 'pairing-gone'),
        on('c-two', 'PairingEnded', '2025-01-01T10:00:00+08:00', { pairingId: 'pairing-gone', reason: '调离' }),
        registered('c-none', 's-c'),
      );
      const items = await worklistOf('s-c');
      expect(items['c-two'].carers).toEqual([
        { carerId: 'carer-teacher', role: 'head-teacher' },
        { carerId: 'carer-volunteer', role: 'volunteer' },
      ]);
      expect(items['c-none']).toMatchObject({ paired: false, carers: [] });
      // Before the end, the ended pairing was one of them.
      expect((await worklistOf('s-c', '2024-12-31'))['c-two'].carers.map((carer) => carer.carerId)).toEqual(['carer-teacher', 'carer-gone', 'carer-volunteer']);
    });

    it('never counts a voided activity, whenever it was voided', async () => {
      const { talk, ...others } = JUST_INSIDE;
      await given(
        registered('v-1', 's-v'),
        paired('v-1'),
        ...allDuties('v-1', others),
        activity('v-1', 'talk', '2025-05-10T10:00:00+08:00'),
        activity('v-1', 'talk', talk, 'talk-14'),
        activity('v-1', 'talk', '2025-05-19T10:00:00+08:00', 'talk-19'),
        on('v-1', 'CareActivityVoided', '2025-05-25T10:00:00+08:00', { activityId: 'talk-19', reason: '重复录入' }),
      );
      expect((await worklistOf('s-v'))['v-1']).toBeUndefined();
      await given(on('v-1', 'CareActivityVoided', '2025-05-25T10:00:00+08:00', { activityId: 'talk-14', reason: '错录' }));
      expect((await worklistOf('s-v'))['v-1'].overdueDuties).toEqual([{ duty: 'talk', lastDoneAt: '2025-05-10T10:00:00.000+08:00' }]);
    });

    it('lists children in care without an active pairing: never paired, pairing ended, carer retired, or the child left care since', async () => {
      const done = (child: string) => allDuties(child, JUST_INSIDE);
      await given(
        registered('u-active', 's-u'),
        paired('u-active'),
        ...done('u-active'),
        registered('u-never', 's-u'),
        registered('u-ended', 's-u'),
        paired('u-ended'),
        ...done('u-ended'),
        on('u-ended', 'PairingEnded', '2025-05-01T10:00:00+08:00', { pairingId: 'pairing-u-ended', reason: 'carer-moved' }),
        registered('u-retired', 's-u'),
        paired('u-retired', 'carer-retiring'),
        ...done('u-retired'),
        event('carer-carer-retiring', 'CarerRetired', '2025-05-02T10:00:00+08:00', { reason: 'retired' }),
        registered('u-returned', 's-u'),
        paired('u-returned'),
        ...done('u-returned'),
        on('u-returned', 'EnrollmentChanged', '2025-04-01T10:00:00+08:00', { change: 'dropped-out', schoolId: 's-u' }),
        on('u-returned', 'EnrollmentChanged', '2025-04-10T10:00:00+08:00', { change: 'returned', schoolId: 's-u' }),
        registered('u-resumed', 's-u'),
        paired('u-resumed'),
        ...done('u-resumed'),
        on('u-resumed', 'LeftBehindStatusEnded', '2025-04-01T10:00:00+08:00', { reason: 'parents-returned' }),
        on('u-resumed', 'LeftBehindStatusResumed', '2025-04-10T10:00:00+08:00', { parentsAway: 'father' }),
        registered('u-orphan', 's-u', { category: 'orphan' }),
        paired('u-orphan'),
        ...done('u-orphan'),
        on('u-orphan', 'LeftBehindStatusEnded', '2025-04-01T10:00:00+08:00', { reason: 'parents-returned' }),
      );
      const items = await worklistOf('s-u');
      expect(Object.keys(items).sort()).toEqual(['u-ended', 'u-never', 'u-resumed', 'u-retired', 'u-returned']);
      for (const item of Object.values(items)) expect(item).toMatchObject({ paired: false, overdueDuties: [] });
      // Before the end, the retirement and the leaving, those pairings were active.
      const before = Object.values(await worklistOf('s-u', '2025-03-31'));
      expect(before.filter((item) => !item.paired).map((item) => item.childId)).toEqual(['u-never']);
      expect((await children('s-u')).items.filter((c) => c.paired).map((c) => c.childId)).toEqual(['u-active', 'u-orphan']);
    });

    it('lists incidents with a party not yet notified, with each deadline and whether it has passed', async () => {
      await given(
        registered('i-1', 's-i'),
        on('i-1', 'IncidentReported', '2025-05-20T10:00:00+08:00', { incidentId: 'inc-1', kind: 'injury', severity: 'high' }),
        on('i-1', 'IncidentPartyNotified', '2025-05-20T10:20:00+08:00', { incidentId: 'inc-1', party: 'guardian' }),
        on('i-1', 'IncidentReported', '2025-05-01T10:00:00+08:00', { incidentId: 'inc-told', kind: 'illness', severity: 'low' }),
        ...['guardian', 'parents', 'education-bureau', 'township-government'].map((party) =>
          on('i-1', 'IncidentPartyNotified', '2025-05-01T11:00:00+08:00', { incidentId: 'inc-told', party }),
        ),
        on('i-1', 'IncidentPartyNotified', '2025-05-21T09:00:00+08:00', { incidentId: 'inc-1', party: 'parents' }),
      );
      const at = async (asOf: string, now: string) => (await worklistOf('s-i', asOf, now))['i-1']?.unnotifiedIncidents;
      expect(await at(ASOF, '2025-05-20T11:30:00+08:00')).toEqual([
        {
          incidentId: 'inc-1',
          kind: 'injury',
          severity: 'high',
          occurredAt: '2025-05-20T10:00:00.000+08:00',
          resolved: false,
          missing: [
            { party: 'parents', deadline: '2025-05-20T11:00:00.000+08:00', deadlinePassed: true },
            { party: 'education-bureau', deadline: '2025-05-20T12:00:00.000+08:00', deadlinePassed: false },
            { party: 'township-government', deadline: '2025-05-20T12:00:00.000+08:00', deadlinePassed: false },
          ],
        },
      ]);
      // Judged at the end of asOf when that is earlier than now; notifications after asOf do not count.
      const later = await at(ASOF, '2025-06-01T00:00:00+08:00');
      expect(later?.[0].missing.map((m) => [m.party, m.deadlinePassed])).toEqual([
        ['parents', true],
        ['education-bureau', true],
        ['township-government', true],
      ]);
      expect((await at('2025-05-21', '2025-06-01T00:00:00+08:00'))?.[0].missing.map((m) => m.party)).toEqual(['education-bureau', 'township-government']);
      expect(await at('2025-05-19', '2025-06-01T00:00:00+08:00')).toEqual([]);
      await given(on('i-1', 'IncidentResolved', '2025-05-22T10:00:00+08:00', { incidentId: 'inc-1', outcome: 'recovered' }));
      expect((await at('2025-05-22', '2025-06-01T00:00:00+08:00'))?.[0]).toMatchObject({ incidentId: 'inc-1', resolved: true });
    });

    it('pages like the children list', async () => {
      await given(...Array.from({ length: 5 }, (_, i) => registered(`wp-${i}`, 's-wp', { grade: 5 - i })));
      const first = await worklist('s-wp', ASOF, '2025-06-01T00:00:00+08:00', 2);
      expect(first.items.map((item) => item.childId)).toEqual(['wp-4', 'wp-3']);
      const second = await schoolWorklist(database.readModels.manager, {
        schoolId: 's-wp', asOf: ASOF, now: '2025-06-01T00:00:00+08:00', limit: 10, after: parseChildCursor(first.nextCursor as string),
      });
      expect(second).toEqual({ items: expect.any(Array), nextCursor: null });
      expect(second.items.map((item) => item.childId)).toEqual(['wp-2', 'wp-1', 'wp-0']);
    });
  });
  describe('carers and care homes', () => {
    const carer = (carerId: string, schoolId: string, role = 'head-teacher', at = REGISTERED_AT) =>
      event(`carer-${carerId}`, 'CarerRegistered', at, { schoolId, organisation: 'school', role, partyMember: role === 'party-member-teacher', personalFields: ['name'] });
    const register = { schoolId: 's-k', asOf: ASOF, limit: 50, after: null };

    it('lists the school’s carers not retired, each with the children in care it is paired with, in pages', async () => {
      await given(
        carer('k-a', 's-k'),
        carer('k-b', 's-k', 'party-member-teacher'),
        carer('k-retired', 's-k'),
        event('carer-k-retired', 'CarerRetired', '2025-05-01T10:00:00+08:00', {}),
        carer('k-later', 's-k', 'volunteer', '2025-05-21T10:00:00+08:00'),
        carer('k-other', 's-other'),
        registered('k-child-1', 's-k'),
        paired('k-child-1', 'k-a'),
        registered('k-child-2', 's-k'),
        paired('k-child-2', 'k-a'),
        registered('k-child-3', 's-k'),
        paired('k-child-3', 'k-b'),
        on('k-child-3', 'PairingEnded', '2025-05-02T10:00:00+08:00', { pairingId: 'pairing-k-child-3', reason: '调离' }),
      );
      const page = await schoolCarers(database.readModels.manager, register);
      expect(page).toEqual({
        items: [
          { carerId: 'k-a', organisation: 'school', role: 'head-teacher', partyMember: false, pairedChildren: 2 },
          { carerId: 'k-b', organisation: 'school', role: 'party-member-teacher', partyMember: true, pairedChildren: 0 },
        ],
        nextCursor: null,
      });
      // Before the retirement and the end of the pairing, as of a past date.
      expect((await schoolCarers(database.readModels.manager, { ...register, asOf: '2025-04-30' })).items.map((c) => [c.carerId, c.pairedChildren])).toEqual([
        ['k-a', 2],
        ['k-b', 1],
        ['k-retired', 0],
      ]);
      const first = await schoolCarers(database.readModels.manager, { ...register, limit: 1 });
      expect(first.items.map((c) => c.carerId)).toEqual(['k-a']);
      const rest = await schoolCarers(database.readModels.manager, { ...register, limit: 1, after: parseIdCursor(first.nextCursor ?? '') });
      expect(rest).toMatchObject({ items: [{ carerId: 'k-b' }], nextCursor: null });
      expect(parseIdCursor('not a cursor')).toBeNull();
    });

    it('lists the care homes the school opened by the date', async () => {
      await given(
        event('school-s-h', 'CareHomeOpened', '2025-03-01T10:00:00+08:00', { homeId: 'h-2', name: '二村之家', facilities: ['books'] }),
        event('school-s-h', 'CareHomeOpened', '2025-02-01T10:00:00+08:00', { homeId: 'h-1', name: '中心校之家', facilities: ['computer', 'family-phone'] }),
        event('school-s-h', 'CareHomeOpened', '2025-06-01T10:00:00+08:00', { homeId: 'h-3', name: '以后的之家', facilities: [] }),
        event('school-s-elsewhere', 'CareHomeOpened', '2025-02-01T10:00:00+08:00', { homeId: 'h-0', name: '别校之家', facilities: [] }),
      );
      expect(await schoolCareHomes(database.readModels.manager, { ...register, schoolId: 's-h' })).toEqual({
        items: [
          { homeId: 'h-1', name: '中心校之家', facilities: ['computer', 'family-phone'] },
          { homeId: 'h-2', name: '二村之家', facilities: ['books'] },
        ],
        nextCursor: null,
      });
    });
  });
});
