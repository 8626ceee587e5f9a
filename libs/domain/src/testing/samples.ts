/**
 * One valid submitted event of every type (INTERCHANGE.md), as a school's system would send it,
 * with a required field and (where the type has one) an enumerated field to break in specs.
 */
export interface Sample {
  readonly raw: Readonly<Record<string, unknown>>;
  readonly required: string;
  readonly enumerated?: string;
}

const eventId = '6f1c0c8e-5d0b-4a57-9b8e-2f7f3e0b6d11';
const occurredAt = '2025-03-14T09:30:00+08:00';
const child = (type: string, data: object) => ({ eventId, type, childId: 'child-1', occurredAt, data });
const school = (type: string, data: object) => ({ eventId, type, schoolId: 'school-1', occurredAt, data });
const carer = (type: string, data: object) => ({ eventId, type, carerId: 'carer-1', occurredAt, data });

export const SAMPLES: Readonly<Record<string, Sample>> = {
  SchoolRegistered: {
    raw: school('SchoolRegistered', {
      name: '姚渡学校',
      countyId: 'county-1',
      countyName: '旺苍县',
      townshipId: 'township-1',
      townshipName: '姚渡镇',
      level: 'nine-year',
      boarding: true,
    }),
    required: 'data.townshipId',
    enumerated: 'data.level',
  },
  EnrollmentReported: { raw: school('EnrollmentReported', { term: '2025-spring', totalPupils: 812 }), required: 'data.totalPupils' },
  CareHomeOpened: {
    raw: school('CareHomeOpened', { homeId: 'home-1', name: '留守学生之家', facilities: ['computer', 'tv', 'family-phone'] }),
    required: 'data.homeId',
    enumerated: 'data.facilities[1]',
  },
  CareHomeActivityHeld: {
    raw: school('CareHomeActivityHeld', { homeId: 'home-1', title: '读书活动', participants: 24 }),
    required: 'data.participants',
  },
  CarerRegistered: {
    raw: carer('CarerRegistered', {
      schoolId: 'school-1',
      organisation: 'school',
      role: 'head-teacher',
      partyMember: true,
      personal: { name: '王老师', phone: '13800000000' },
    }),
    required: 'data.personal.name',
    enumerated: 'data.role',
  },
  CarerRetired: { raw: carer('CarerRetired', { reason: '调离' }), required: 'data.reason' },
  ChildRegistered: {
    raw: child('ChildRegistered', {
      schoolId: 'school-1',
      grade: 4,
      className: '四(1)班',
      gender: 'female',
      birthMonth: '2015-06',
      category: 'left-behind',
      parentsAway: 'both',
      awaySince: '2022-02-10',
      guardianType: 'grandparent',
      personal: {
        name: '李小花',
        homeAddress: '姚渡镇某村3组',
        guardian: { name: '李大爷', relation: '祖父', phone: '13900000000', age: 68, health: '良好', education: '小学' },
        parents: [
          { relation: 'father', name: '李父', phone: '13700000000', workCity: '广州', employer: '某电子厂' },
          { relation: 'mother', name: '王母', phone: '13600000000', workCity: '东莞' },
        ],
        personality: '内向',
        interests: '画画',
      },
    }),
    required: 'data.guardianType',
    enumerated: 'data.category',
  },
  ArchiveUpdated: {
    raw: child('ArchiveUpdated', { grade: 5, personal: { parents: [{ relation: 'father', phone: '13700000001', workCity: '深圳' }] } }),
    required: 'data.personal.parents[0].relation',
    enumerated: 'data.personal.parents[0].relation',
  },
  GuardianshipChanged: {
    raw: child('GuardianshipChanged', { guardianType: 'relative', personal: { guardian: { name: '张姨', relation: '姨妈', phone: '13500000000' } } }),
    required: 'data.personal.guardian.name',
    enumerated: 'data.guardianType',
  },
  RiskFlagged: { raw: child('RiskFlagged', { flag: 'psychological' }), required: 'data.flag', enumerated: 'data.flag' },
  RiskCleared: { raw: child('RiskCleared', { flag: 'psychological' }), required: 'data.flag', enumerated: 'data.flag' },
  PairingStarted: {
    raw: child('PairingStarted', { pairingId: 'pairing-1', carerId: 'carer-1', role: 'head-teacher' }),
    required: 'data.carerId',
    enumerated: 'data.role',
  },
  PairingEnded: { raw: child('PairingEnded', { pairingId: 'pairing-1', reason: '教师调离' }), required: 'data.reason' },
  CareActivityRecorded: {
    raw: child('CareActivityRecorded', {
      activityId: 'activity-1',
      kind: 'aid',
      carerId: 'carer-1',
      minutes: 30,
      amountYuan: 500,
      items: '书包、文具',
      homeId: 'home-1',
      personal: { notes: '送去冬衣' },
    }),
    required: 'data.activityId',
    enumerated: 'data.kind',
  },
  CareActivityVoided: { raw: child('CareActivityVoided', { activityId: 'activity-1', reason: '重复录入' }), required: 'data.activityId' },
  IncidentReported: {
    raw: child('IncidentReported', { incidentId: 'incident-1', kind: 'injury', severity: 'medium', personal: { description: '课间摔伤' } }),
    required: 'data.severity',
    enumerated: 'data.severity',
  },
  IncidentPartyNotified: {
    raw: child('IncidentPartyNotified', { incidentId: 'incident-1', party: 'guardian' }),
    required: 'data.party',
    enumerated: 'data.party',
  },
  IncidentResolved: { raw: child('IncidentResolved', { incidentId: 'incident-1', outcome: '已就医康复' }), required: 'data.outcome' },
  EnrollmentChanged: {
    raw: child('EnrollmentChanged', { change: 'transferred-out', schoolId: 'school-1', otherSchoolId: 'school-2', reason: '随迁' }),
    required: 'data.schoolId',
    enumerated: 'data.change',
  },
  LeftBehindStatusEnded: { raw: child('LeftBehindStatusEnded', { reason: 'parents-returned' }), required: 'data.reason', enumerated: 'data.reason' },
  LeftBehindStatusResumed: {
    raw: child('LeftBehindStatusResumed', { parentsAway: 'father', awaySince: '2025-03-01' }),
    required: 'data.parentsAway',
    enumerated: 'data.parentsAway',
  },
  'PersonalDataErased/child': { raw: child('PersonalDataErased', { reason: '监护人申请' }), required: 'data.reason' },
  'PersonalDataErased/carer': { raw: carer('PersonalDataErased', { reason: '本人申请' }), required: 'data.reason' },
};

/** A copy of `raw` with the value at a dot-and-index `path` replaced, or removed when `value` is undefined. */
export function withField(raw: Readonly<Record<string, unknown>>, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(raw) as Record<string, unknown>;
  const keys = path.split(/\.|\[(\d+)\]/).filter((k) => k !== undefined && k !== '');
  let at = copy as Record<string, unknown>;
  keys.slice(0, -1).forEach((key) => {
    at = at[key] as Record<string, unknown>;
  });
  const last = keys[keys.length - 1];
  if (value === undefined) delete at[last];
  else at[last] = value;
  return copy;
}
