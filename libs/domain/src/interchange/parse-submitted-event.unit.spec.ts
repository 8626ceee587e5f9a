import { SAMPLES, withField } from '../testing/samples';
import { parseSubmittedEvent } from './parse-submitted-event';
import { EVENT_TYPES } from './parse-submitted-event';
import { normaliseOccurredAt, OCCURRED_AT } from './occurred-at';
import { personalFieldPaths, withPersonalFields } from './personal-fields';
import { parseStreamId, streamIdOf, subjectOf } from './subject';
import type { SubmittedEvent } from './submitted-event';

const refusalOf = (raw: unknown) => {
  const result = parseSubmittedEvent(raw);
  if (result.ok) throw new Error(`accepted: ${JSON.stringify(raw)}`);
  return result.refusal;
};
const accepted = (raw: unknown): SubmittedEvent => {
  const result = parseSubmittedEvent(raw);
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.refusal)}`);
  return result.event;
};

describe('parseSubmittedEvent, per type', () => {
  it('has a sample of every event type', () => {
    const sampled = new Set(Object.values(SAMPLES).map((s) => s.raw['type']));
    expect([...sampled].sort()).toEqual([...EVENT_TYPES].sort());
  });

  describe.each(Object.entries(SAMPLES))('%s', (_name, sample) => {
    it('accepts the valid sample, keeping every field', () => {
      const event = accepted(sample.raw);
      expect(event).toEqual({ ...sample.raw, occurredAt: '2025-03-14T09:30:00.000+08:00' });
    });

    it('refuses an unknown field in data', () => {
      expect(refusalOf(withField(sample.raw, 'data.bogus', 1))).toMatchObject({ code: 'unknown-field', field: 'data.bogus' });
    });

    it('refuses an unknown field at the top', () => {
      expect(refusalOf({ ...sample.raw, extra: true })).toMatchObject({ code: 'unknown-field', field: 'extra' });
    });

    it(`refuses a missing ${sample.required}`, () => {
      expect(refusalOf(withField(sample.raw, sample.required, undefined))).toMatchObject({ code: 'missing-field', field: sample.required });
    });

    it('refuses a null required field as a wrong value, not a missing one', () => {
      expect(refusalOf(withField(sample.raw, sample.required, null))).toMatchObject({ code: 'invalid-value', field: sample.required });
    });

    if (sample.enumerated) {
      const field = sample.enumerated;
      it(`refuses a value of ${field} outside its enumeration`, () => {
        expect(refusalOf(withField(sample.raw, field, 'not-in-the-list'))).toMatchObject({ code: 'invalid-value', field });
      });
    }

    it('refuses a missing occurredAt and eventId', () => {
      expect(refusalOf(withField(sample.raw, 'occurredAt', undefined))).toMatchObject({ code: 'missing-field', field: 'occurredAt' });
      expect(refusalOf(withField(sample.raw, 'eventId', undefined))).toMatchObject({ code: 'missing-field', field: 'eventId' });
    });
  });
});

describe('parseSubmittedEvent, the envelope', () => {
  const talk = withField(SAMPLES['RiskFlagged'].raw, 'data.flag', 'safety');

  it('refuses what is not an object', () => {
    expect(refusalOf([talk])).toMatchObject({ code: 'invalid-value', field: '' });
    expect(refusalOf('{}')).toMatchObject({ code: 'invalid-value', field: '' });
  });

  it('refuses a missing, unknown or non-text type', () => {
    expect(refusalOf(withField(talk, 'type', undefined))).toMatchObject({ code: 'missing-field', field: 'type' });
    expect(refusalOf(withField(talk, 'type', 'ChildAdopted'))).toMatchObject({ code: 'unknown-type', field: 'type' });
    expect(refusalOf(withField(talk, 'type', 'toString'))).toMatchObject({ code: 'unknown-type', field: 'type' });
    expect(refusalOf(withField(talk, 'type', 7))).toMatchObject({ code: 'invalid-value', field: 'type' });
  });

  it('refuses an eventId that is not a UUID, and lower-cases one that is', () => {
    expect(refusalOf(withField(talk, 'eventId', 'event-1'))).toMatchObject({ code: 'invalid-value', field: 'eventId' });
    expect(refusalOf(withField(talk, 'eventId', '6f1c0c8e5d0b4a579b8e2f7f3e0b6d11'))).toMatchObject({ code: 'invalid-value', field: 'eventId' });
    expect(accepted(withField(talk, 'eventId', '6F1C0C8E-5D0B-4A57-9B8E-2F7F3E0B6D11')).eventId).toBe('6f1c0c8e-5d0b-4a57-9b8e-2f7f3e0b6d11');
  });

  it('requires exactly one subject id, the one the type takes', () => {
    expect(refusalOf(withField(talk, 'childId', undefined))).toMatchObject({ code: 'invalid-subject', field: 'childId' });
    expect(refusalOf({ ...talk, carerId: 'carer-1' })).toMatchObject({ code: 'invalid-subject', field: 'carerId' });
    expect(refusalOf({ ...withField(talk, 'childId', undefined), schoolId: 'school-1' })).toMatchObject({ code: 'invalid-subject', field: 'schoolId' });
    const school = SAMPLES['EnrollmentReported'].raw;
    expect(refusalOf({ ...withField(school, 'schoolId', undefined), childId: 'child-1' })).toMatchObject({ code: 'invalid-subject', field: 'childId' });
    const erased = SAMPLES['PersonalDataErased/child'].raw;
    expect(refusalOf({ ...erased, carerId: 'carer-1' })).toMatchObject({ code: 'invalid-subject', field: 'carerId' });
  });

  it('refuses a subject id that cannot be part of a stream id', () => {
    expect(refusalOf(withField(talk, 'childId', 'a b'))).toMatchObject({ code: 'invalid-value', field: 'childId' });
    expect(refusalOf(withField(talk, 'childId', ''))).toMatchObject({ code: 'invalid-value', field: 'childId' });
  });

  it('refuses an occurredAt that is neither an instant with offset nor a date', () => {
    for (const bad of ['2025-03-14T09:30:00', '2025-03-14 09:30:00+08:00', '2025-02-30', '2025-03-14T24:00:00+08:00', '14/03/2025', 20250314]) {
      expect(refusalOf(withField(talk, 'occurredAt', bad))).toMatchObject({ code: 'invalid-value', field: 'occurredAt' });
    }
  });
});

describe('parseSubmittedEvent, nested and conditional fields', () => {
  const registered = SAMPLES['ChildRegistered'].raw;

  it('refuses unknown fields inside data.personal and its guardian and parents', () => {
    expect(refusalOf(withField(registered, 'data.personal.idCard', 'x'))).toMatchObject({ code: 'unknown-field', field: 'data.personal.idCard' });
    expect(refusalOf(withField(registered, 'data.personal.guardian.wechat', 'x'))).toMatchObject({
      code: 'unknown-field',
      field: 'data.personal.guardian.wechat',
    });
    expect(refusalOf(withField(registered, 'data.personal.parents[1].salary', 1))).toMatchObject({
      code: 'unknown-field',
      field: 'data.personal.parents[1].salary',
    });
  });

  it('names the exact path of a bad nested value', () => {
    expect(refusalOf(withField(registered, 'data.personal.parents[0].workCity', ''))).toMatchObject({
      code: 'invalid-value',
      field: 'data.personal.parents[0].workCity',
    });
    expect(refusalOf(withField(registered, 'data.personal.guardian.phone', 'call me'))).toMatchObject({
      code: 'invalid-value',
      field: 'data.personal.guardian.phone',
    });
    expect(refusalOf(withField(registered, 'data.personal.guardian.name', undefined))).toMatchObject({
      code: 'missing-field',
      field: 'data.personal.guardian.name',
    });
  });

  it('checks numbers, months, dates and booleans', () => {
    expect(refusalOf(withField(registered, 'data.grade', 13))).toMatchObject({ code: 'invalid-value', field: 'data.grade' });
    expect(refusalOf(withField(registered, 'data.grade', 4.5))).toMatchObject({ code: 'invalid-value', field: 'data.grade' });
    expect(refusalOf(withField(registered, 'data.birthMonth', '2015-13'))).toMatchObject({ code: 'invalid-value', field: 'data.birthMonth' });
    expect(refusalOf(withField(registered, 'data.awaySince', '2022-02-30'))).toMatchObject({ code: 'invalid-value', field: 'data.awaySince' });
    const school = SAMPLES['SchoolRegistered'].raw;
    expect(refusalOf(withField(school, 'data.boarding', 'yes'))).toMatchObject({ code: 'invalid-value', field: 'data.boarding' });
    const report = SAMPLES['EnrollmentReported'].raw;
    expect(refusalOf(withField(report, 'data.totalPupils', -1))).toMatchObject({ code: 'invalid-value', field: 'data.totalPupils' });
    expect(refusalOf(withField(report, 'data.term', '2025-summer'))).toMatchObject({ code: 'invalid-value', field: 'data.term' });
  });

  it('refuses the same parent or facility twice', () => {
    expect(refusalOf(withField(registered, 'data.personal.parents[1].relation', 'father'))).toMatchObject({
      code: 'invalid-value',
      field: 'data.personal.parents[1].relation',
    });
    const home = SAMPLES['CareHomeOpened'].raw;
    expect(refusalOf(withField(home, 'data.facilities', ['tv', 'tv']))).toMatchObject({ code: 'invalid-value', field: 'data.facilities[1]' });
  });

  it('requires amountYuan for aid only, and never below zero', () => {
    const aid = SAMPLES['CareActivityRecorded'].raw;
    expect(refusalOf(withField(aid, 'data.amountYuan', undefined))).toMatchObject({ code: 'missing-field', field: 'data.amountYuan' });
    expect(refusalOf(withField(aid, 'data.amountYuan', -5))).toMatchObject({ code: 'invalid-value', field: 'data.amountYuan' });
    expect(accepted(withField(withField(aid, 'data.kind', 'talk'), 'data.amountYuan', undefined)).type).toBe('CareActivityRecorded');
  });

  it('requires otherSchoolId for transfers, distinct from schoolId', () => {
    const transfer = SAMPLES['EnrollmentChanged'].raw;
    expect(refusalOf(withField(transfer, 'data.otherSchoolId', undefined))).toMatchObject({ code: 'missing-field', field: 'data.otherSchoolId' });
    // A change of a school to itself is well-formed but no enrollment change: a rule (422), not a malformed field.
    expect(refusalOf(withField(transfer, 'data.otherSchoolId', 'school-1'))).toMatchObject({ code: 'invalid-enrollment-change', field: 'data.otherSchoolId' });
    const dropout = withField(withField(transfer, 'data.change', 'dropped-out'), 'data.otherSchoolId', undefined);
    expect(accepted(dropout).type).toBe('EnrollmentChanged');
  });

  it('refuses an archive update that changes nothing', () => {
    expect(refusalOf(withField(SAMPLES['ArchiveUpdated'].raw, 'data', {}))).toMatchObject({ code: 'missing-field', field: 'data' });
    expect(refusalOf(withField(SAMPLES['ArchiveUpdated'].raw, 'data', { personal: {} }))).toMatchObject({ code: 'missing-field', field: 'data.personal' });
    expect(refusalOf(withField(SAMPLES['ArchiveUpdated'].raw, 'data.personal.parents', []))).toMatchObject({
      code: 'invalid-value',
      field: 'data.personal.parents',
    });
  });

  it('refuses a resumed left-behind status with no parent away', () => {
    expect(refusalOf(withField(SAMPLES['LeftBehindStatusResumed'].raw, 'data.parentsAway', 'none'))).toMatchObject({
      code: 'invalid-value',
      field: 'data.parentsAway',
    });
  });

  it('trims text', () => {
    const event = accepted(withField(SAMPLES['CarerRetired'].raw, 'data.reason', '  调离  '));
    expect(event.data).toEqual({ reason: '调离' });
  });
});

describe('normaliseOccurredAt', () => {
  it.each([
    ['2025-03-14', '2025-03-14T00:00:00.000+08:00'],
    ['2025-03-14T09:30+08:00', '2025-03-14T09:30:00.000+08:00'],
    ['2025-03-14T09:30:05.1+08:00', '2025-03-14T09:30:05.100+08:00'],
    ['2025-03-14T09:30:05.123456789-05:30', '2025-03-14T09:30:05.123-05:30'],
    ['2025-03-14T01:30:00Z', '2025-03-14T01:30:00.000+00:00'],
    ['2025-03-14T01:30:00-00:00', '2025-03-14T01:30:00.000+00:00'],
    ['2024-02-29T23:59:59+08:00', '2024-02-29T23:59:59.000+08:00'],
  ])('%s → %s', (given, canonical) => {
    expect(normaliseOccurredAt(given)).toBe(canonical);
    expect(OCCURRED_AT.test(given)).toBe(true);
  });

  it.each(['2025-02-29', '2025-03-14T09:60:00+08:00', '2025-03-14T09:30:60+08:00', '2025-03-14T09:30:00+15:00', '2025-03-14T09:30:00+0800', '2025-03-14t09:30:00z', '', '0000-01-01T00:00:00Z'])(
    'refuses %s',
    (given) => {
      expect(normaliseOccurredAt(given)).toBeNull();
      expect(OCCURRED_AT.test(given)).toBe(false);
    },
  );
});

describe('personal fields', () => {
  it('lists the sorted paths of non-empty leaves', () => {
    expect(personalFieldPaths({ name: '李', guardian: { name: '王', phone: '', age: 0 }, parents: [{ relation: 'father' }, { relation: 'mother', workCity: '广州' }], notes: null })).toEqual([
      'guardian.age',
      'guardian.name',
      'name',
      'parents[0].relation',
      'parents[1].relation',
      'parents[1].workCity',
    ]);
    expect(personalFieldPaths(undefined)).toEqual([]);
    expect(personalFieldPaths('sealed')).toEqual([]);
  });

  it('adds personalFields to an event carrying personal data, and only then', () => {
    const withPersonal = { type: 'IncidentReported', occurredAt: 'x', data: { incidentId: 'i', personal: { description: 'd' } } };
    expect(withPersonalFields(withPersonal).data).toEqual({ incidentId: 'i', personal: { description: 'd' }, personalFields: ['description'] });
    const without = { type: 'RiskFlagged', occurredAt: 'x', data: { flag: 'health' } };
    expect(withPersonalFields(without)).toEqual(without);
  });
});

describe('subjects and stream ids', () => {
  it('finds the subject of every kind of event', () => {
    expect(subjectOf(accepted(SAMPLES['RiskFlagged'].raw))).toEqual({ kind: 'child', id: 'child-1' });
    expect(subjectOf(accepted(SAMPLES['EnrollmentReported'].raw))).toEqual({ kind: 'school', id: 'school-1' });
    expect(subjectOf(accepted(SAMPLES['PersonalDataErased/carer'].raw))).toEqual({ kind: 'carer', id: 'carer-1' });
    expect(subjectOf(accepted(SAMPLES['ChildRegistered'].raw))).toEqual({ kind: 'child', id: 'child-1' });
  });

  it('round-trips stream ids, ids with dashes included', () => {
    expect(streamIdOf('child', 'child-1')).toBe('child-child-1');
    expect(parseStreamId('child-child-1')).toEqual({ kind: 'child', id: 'child-1' });
    expect(parseStreamId('carer-7')).toEqual({ kind: 'carer', id: '7' });
    expect(parseStreamId('school-')).toBeNull();
    expect(parseStreamId('county-1')).toBeNull();
  });
});

describe('parseSubmittedEvent, text no store can keep', () => {
  const registered = SAMPLES['ChildRegistered'].raw;

  it.each([
    ['a NUL in personal data', 'data.personal.name', 'a\u0000b'],
    ['a NUL alone', 'data.className', '\u0000'],
    ['a NUL in the subject id', 'childId', 'a\u0000b'],
    ['a high surrogate without its partner', 'data.personal.guardian.name', '王\ud800'],
    ['a low surrogate without its partner', 'data.personal.guardian.name', '\udc00王'],
  ])('refuses %s, naming the path', (_what, field, value) => {
    expect(refusalOf(withField(registered, field, value))).toMatchObject({ code: 'invalid-value', field });
  });

  it('refuses such text in a key, and keeps a paired surrogate', () => {
    expect(refusalOf({ ...registered, 'x\ud800': 1 })).toMatchObject({ code: 'invalid-value', field: 'x\ud800' });
    expect(accepted(withField(registered, 'data.personal.name', '王𠀀花')).type).toBe('ChildRegistered');
  });
});
