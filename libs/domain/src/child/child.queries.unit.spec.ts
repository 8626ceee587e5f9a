import { withPersonalFields } from '../interchange/personal-fields';
import type { ChildEvent } from '../interchange/submitted-event';
import type { ChildPersonal, ChildRegisteredData } from '../interchange/submitted-event.schema';
import { evolveChild, initialChildState, isInCare } from './child.events';
import type { ChildState } from './child.events';
import { activePairings, isArchiveComplete } from './child.queries';

const occurredAt = '2025-03-14T09:00:00.000+08:00';
const complete: ChildPersonal = {
  name: '李小花',
  homeAddress: '某村',
  guardian: { name: '李大爷', relation: '祖父', phone: '13900000000' },
  parents: [
    { relation: 'father', phone: '13700000000' },
    { relation: 'mother', workCity: '东莞', phone: '13600000000' },
  ],
};
const registration = (data: Partial<ChildRegisteredData> = {}): ChildEvent => ({
  type: 'ChildRegistered',
  occurredAt,
  data: { schoolId: 's', grade: 3, className: '3', gender: 'male', birthMonth: '2016-01', category: 'left-behind', parentsAway: 'both', guardianType: 'grandparent', personal: complete, ...data },
});
const fold = (...events: ChildEvent[]): ChildState => events.map(withPersonalFields).reduce(evolveChild, initialChildState());

describe('isArchiveComplete', () => {
  it('needs guardian name and phone, home address, and one parent with phone and work city', () => {
    expect(isArchiveComplete(fold(registration()))).toBe(true);
  });

  it.each([
    ['guardian phone', { ...complete, guardian: { name: '李大爷', relation: '祖父' } }],
    ['guardian', { name: '李小花', homeAddress: '某村', parents: complete.parents }],
    ['home address', { ...complete, homeAddress: undefined }],
    ['a parent with both phone and work city', { ...complete, parents: [{ relation: 'father' as const, phone: '1370000000' }, { relation: 'mother' as const, workCity: '东莞' }] }],
  ])('is incomplete without %s', (_missing, personal) => {
    expect(isArchiveComplete(fold(registration({ personal })))).toBe(false);
  });

  it('needs no parent contact when no parent is away', () => {
    expect(isArchiveComplete(fold(registration({ category: 'orphan', parentsAway: 'none', personal: { ...complete, parents: undefined } })))).toBe(true);
  });

  it('follows archive updates, and survives erasure', () => {
    const partial = registration({ personal: { name: '李小花', guardian: { name: '李大爷', relation: '祖父' } } });
    const update: ChildEvent = { type: 'ArchiveUpdated', occurredAt, data: { personal: { homeAddress: '某村', guardian: { name: '李大爷', relation: '祖父', phone: '139' }, parents: complete.parents } } };
    const erased: ChildEvent = { type: 'PersonalDataErased', occurredAt, data: { reason: 'x' } };
    expect(isArchiveComplete(fold(partial))).toBe(false);
    expect(isArchiveComplete(fold(partial, update))).toBe(true);
    expect(isArchiveComplete(fold(partial, update, erased))).toBe(true);
  });

  it('is false for an unregistered child', () => {
    expect(isArchiveComplete(initialChildState())).toBe(false);
  });
});

describe('isInCare', () => {
  const change = (c: 'dropped-out' | 'returned' | 'graduated' | 'transferred-out'): ChildEvent => ({ type: 'EnrollmentChanged', occurredAt, data: { change: c, schoolId: 's', otherSchoolId: c === 'transferred-out' ? 't' : undefined } });
  const ended: ChildEvent = { type: 'LeftBehindStatusEnded', occurredAt, data: { reason: 'parents-returned' } };

  it('holds for an enrolled child with an active left-behind status', () => {
    expect(isInCare(fold(registration()))).toBe(true);
    expect(isInCare(initialChildState())).toBe(false);
  });

  it('ends with the left-behind status, but not for other categories', () => {
    expect(isInCare(fold(registration(), ended))).toBe(false);
    expect(isInCare(fold(registration({ category: 'single-parent' }), ended))).toBe(true);
  });

  it('needs the child enrolled', () => {
    expect(isInCare(fold(registration(), change('dropped-out')))).toBe(false);
    expect(isInCare(fold(registration(), change('dropped-out'), change('returned')))).toBe(true);
    expect(isInCare(fold(registration(), change('graduated')))).toBe(false);
    expect(isInCare(fold(registration(), change('transferred-out')))).toBe(false);
  });
});

describe('activePairings', () => {
  it('leaves out ended pairings and those of retired carers', () => {
    const start = (pairingId: string, carerId: string): ChildEvent => ({ type: 'PairingStarted', occurredAt, data: { pairingId, carerId, role: 'volunteer' } });
    const child = fold(registration(), start('p1', 'c1'), start('p2', 'c2'), start('p3', 'c3'), { type: 'PairingEnded', occurredAt, data: { pairingId: 'p1', reason: 'x' } });
    expect(activePairings(child).map((p) => p.pairingId)).toEqual(['p2', 'p3']);
    expect(activePairings(child, (carerId) => carerId === 'c3').map((p) => p.pairingId)).toEqual(['p2']);
    expect(activePairings(initialChildState())).toEqual([]);
  });
});
