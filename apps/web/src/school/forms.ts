/**
 * The events a school records (DOMAIN.md, INTERCHANGE.md), one form each: the `data` fields it
 * asks for, with the API's own limits, so that a form refuses locally what the API would refuse.
 */
export const ENUMS = {
  category: ['left-behind', 'orphan', 'abandoned', 'single-parent', 'in-difficulty'],
  parentsAway: ['both', 'father', 'mother', 'none'],
  guardianType: ['grandparent', 'relative', 'entrusted', 'parent-at-home', 'none'],
  gender: ['female', 'male'],
  flag: ['academic', 'psychological', 'behavioural', 'health', 'safety', 'poverty'],
  carerRole: ['head-teacher', 'subject-teacher', 'party-member-teacher', 'proxy-parent', 'love-mother', 'volunteer', 'peer-student', 'cadre'],
  activityKind: ['talk', 'home-visit', 'family-call', 'video-call', 'guardian-contact', 'counselling', 'tutoring', 'health-check', 'aid', 'group-activity', 'safety-education', 'legal-aid', 'parent-meeting'],
  incidentKind: ['injury', 'illness', 'missing', 'bullying', 'abuse', 'accident', 'other'],
  severity: ['low', 'medium', 'high', 'critical'],
  party: ['guardian', 'parents', 'education-bureau', 'township-government'],
  enrollmentChange: ['transferred-out', 'transferred-in', 'dropped-out', 'returned', 'graduated', 'promoted'],
  endReason: ['parents-returned', 'parent-nearby', 'moved-with-parents', 'aged-out'],
  organisation: ['school', 'youth-league', 'womens-federation', 'care-committee', 'village', 'other'],
  facility: ['computer', 'tv', 'player', 'family-phone', 'books', 'sports-kit'],
  relation: ['father', 'mother'],
} as const;
export type EnumName = keyof typeof ENUMS;

export interface Field {
  /** The path under `data` (`personal.guardian.name`); the label is `fields.<path with _>`. */
  readonly path: string;
  readonly input: 'text' | 'tel' | 'number' | 'month' | 'date' | 'select' | 'checkbox' | 'choices' | 'carer' | 'home' | 'textarea';
  readonly options?: EnumName;
  readonly required?: boolean;
  readonly min?: number;
  readonly max?: number;
  readonly maxLength?: number;
  /** Asked only when another field has this value (an aid's amount and items). */
  readonly when?: { readonly path: string; readonly value: string };
}

export type Subject = 'childId' | 'schoolId' | 'carerId';

export interface FormSpec {
  readonly type: string;
  readonly subject: Subject;
  readonly fields: readonly Field[];
  /** `data` ids made on the device, so a resend is the very same event. */
  readonly ids?: readonly string[];
  /** A registration: the subject's id is made on the device. */
  readonly registers?: boolean;
  /** `data.schoolId` is the school of the user. */
  readonly schoolId?: boolean;
}

const text = (path: string, required = false, maxLength = 200): Field => ({ path, input: 'text', required, maxLength });
const select = (path: string, options: EnumName, required = true): Field => ({ path, input: 'select', options, required });

const guardian: readonly Field[] = [
  text('personal.guardian.name'),
  text('personal.guardian.relation', false, 50),
  { path: 'personal.guardian.phone', input: 'tel', maxLength: 30 },
];
const archive: readonly Field[] = [
  { path: 'grade', input: 'number', min: 1, max: 12 },
  text('className', false, 100),
  select('parentsAway', 'parentsAway', false),
  { path: 'awaySince', input: 'date' },
  text('personal.homeAddress', false, 500),
  ...guardian,
];

export const FORMS = {
  recordActivity: {
    type: 'CareActivityRecorded',
    subject: 'childId',
    ids: ['activityId'],
    fields: [
      select('kind', 'activityKind'),
      { path: 'carerId', input: 'carer' },
      { path: 'minutes', input: 'number', min: 0, max: 1440 },
      { path: 'amountYuan', input: 'number', min: 0, when: { path: 'kind', value: 'aid' } },
      { path: 'items', input: 'text', maxLength: 500, when: { path: 'kind', value: 'aid' } },
      { path: 'personal.notes', input: 'textarea', maxLength: 2000 },
    ],
  },
  registerChild: {
    type: 'ChildRegistered',
    subject: 'childId',
    registers: true,
    schoolId: true,
    fields: [
      text('personal.name', true, 100),
      select('gender', 'gender'),
      { path: 'birthMonth', input: 'month', required: true },
      { path: 'grade', input: 'number', required: true, min: 1, max: 12 },
      text('className', true, 100),
      select('category', 'category'),
      select('parentsAway', 'parentsAway'),
      { path: 'awaySince', input: 'date' },
      select('guardianType', 'guardianType'),
      text('personal.homeAddress', false, 500),
      ...guardian,
    ],
  },
  startPairing: { type: 'PairingStarted', subject: 'childId', ids: ['pairingId'], fields: [{ path: 'carerId', input: 'carer', required: true }, select('role', 'carerRole')] },
  endPairing: { type: 'PairingEnded', subject: 'childId', fields: [text('reason', true, 500)] },
  reportIncident: { type: 'IncidentReported', subject: 'childId', ids: ['incidentId'], fields: [select('kind', 'incidentKind'), select('severity', 'severity'), { path: 'personal.description', input: 'textarea', maxLength: 2000 }] },
  notifyIncidentParty: { type: 'IncidentPartyNotified', subject: 'childId', fields: [select('party', 'party')] },
  resolveIncident: { type: 'IncidentResolved', subject: 'childId', fields: [text('outcome', true, 500)] },
  flagRisk: { type: 'RiskFlagged', subject: 'childId', fields: [select('flag', 'flag')] },
  clearRisk: { type: 'RiskCleared', subject: 'childId', fields: [select('flag', 'flag')] },
  voidActivity: { type: 'CareActivityVoided', subject: 'childId', fields: [text('reason', true, 500)] },
  updateArchive: { type: 'ArchiveUpdated', subject: 'childId', fields: archive },
  changeGuardianship: { type: 'GuardianshipChanged', subject: 'childId', fields: [select('guardianType', 'guardianType'), ...guardian] },
  changeEnrollment: {
    type: 'EnrollmentChanged',
    subject: 'childId',
    schoolId: true,
    fields: [select('change', 'enrollmentChange'), text('otherSchoolId', false, 128), text('reason', false, 500)],
  },
  endLeftBehindStatus: { type: 'LeftBehindStatusEnded', subject: 'childId', fields: [select('reason', 'endReason')] },
  resumeLeftBehindStatus: { type: 'LeftBehindStatusResumed', subject: 'childId', fields: [select('parentsAway', 'parentsAway'), { path: 'awaySince', input: 'date' }] },
  registerCarer: {
    type: 'CarerRegistered',
    subject: 'carerId',
    registers: true,
    schoolId: true,
    fields: [text('personal.name', true, 100), { path: 'personal.phone', input: 'tel', maxLength: 30 }, select('organisation', 'organisation'), select('role', 'carerRole'), { path: 'partyMember', input: 'checkbox' }],
  },
  retireCarer: { type: 'CarerRetired', subject: 'carerId', fields: [text('reason', true, 500)] },
  openCareHome: { type: 'CareHomeOpened', subject: 'schoolId', ids: ['homeId'], fields: [text('name', true, 200), { path: 'facilities', input: 'choices', options: 'facility' }] },
  holdCareHomeActivity: { type: 'CareHomeActivityHeld', subject: 'schoolId', fields: [{ path: 'homeId', input: 'home', required: true }, text('title', true, 200), { path: 'participants', input: 'number', required: true, min: 0 }] },
  reportEnrollment: { type: 'EnrollmentReported', subject: 'schoolId', fields: [text('term', true, 20), { path: 'totalPupils', input: 'number', required: true, min: 0 }] },
} as const satisfies Record<string, FormSpec>;

export type FormName = keyof typeof FORMS;

/** The child forms a file offers, in the order a teacher needs them. */
export const CHILD_FORMS: readonly FormName[] = ['recordActivity', 'startPairing', 'reportIncident', 'flagRisk', 'updateArchive', 'changeGuardianship', 'changeEnrollment', 'endLeftBehindStatus', 'resumeLeftBehindStatus'];
export const SCHOOL_FORMS: readonly FormName[] = ['registerChild', 'registerCarer', 'openCareHome', 'holdCareHomeActivity', 'reportEnrollment'];

/** The i18n key of a field's label. */
export const labelKey = (path: string) => `fields.${path.replace(/\./g, '_')}`;

/** Where a refusal's field (`data.personal.name`, `occurredAt`) belongs on the form. */
export function fieldOfRefusal(spec: FormSpec, field: string | undefined): string | undefined {
  if (field === undefined) return undefined;
  if (field === 'occurredAt') return field;
  const path = field.replace(/^data\./, '');
  return spec.fields.find((candidate) => candidate.path === path || path.startsWith(`${candidate.path}.`) || path.startsWith(`${candidate.path}[`))?.path;
}

/** What the inputs hold: Vue's v-model gives a number input's value as a number. */
export type Values = Record<string, string | number | boolean | string[]>;

const textOf = (value: Values[string] | undefined) => (typeof value === 'number' ? String(value) : value);

/** Whether the form asks for the field, given what is filled in so far. */
export const asked = (field: Field, values: Values) => field.when === undefined || values[field.when.path] === field.when.value;

/** The API's rules a form can check on the device (required, ranges, lengths, aid's amount, time). */
export function validate(spec: FormSpec, values: Values, occurredAt: string, now: Date): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const field of spec.fields.filter((candidate) => asked(candidate, values))) {
    const value = textOf(values[field.path]);
    if (typeof value !== 'string' || value === '') {
      if ('required' in field && field.required && field.input !== 'checkbox' && field.input !== 'choices') errors[field.path] = 'missing-field';
      continue;
    }
    if (field.input === 'number') {
      const number = Number(value);
      if (!Number.isFinite(number) || (field.min !== undefined && number < field.min) || (field.max !== undefined && number > field.max)) errors[field.path] = 'invalid-value';
    } else if (field.maxLength !== undefined && value.length > field.maxLength) errors[field.path] = 'too-long';
  }
  if (spec.type === 'CareActivityRecorded' && values['kind'] === 'aid' && !values['amountYuan']) errors['amountYuan'] = 'missing-field';
  if (spec.type === 'EnrollmentChanged' && /^transferred/.test(String(values['change'])) && !values['otherSchoolId']) errors['otherSchoolId'] = 'missing-field';
  const at = Date.parse(occurredAt);
  if (Number.isNaN(at)) errors['occurredAt'] = 'invalid-value';
  else if (at > now.getTime() + 5 * 60_000) errors['occurredAt'] = 'future-occurred-at';
  return errors;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let at = target;
  for (const key of keys.slice(0, -1)) at = (at[key] ??= {}) as Record<string, unknown>;
  at[keys[keys.length - 1]] = value;
}

/** The form's `data`: empty optional fields left out, numbers as numbers. */
export function dataOf(spec: FormSpec, values: Values): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const field of spec.fields.filter((candidate) => asked(candidate, values))) {
    const value = textOf(values[field.path]);
    if (field.input === 'checkbox') setPath(data, field.path, value === true);
    // A plain copy: the form's own array is a reactive proxy, which IndexedDB cannot keep.
    else if (field.input === 'choices') setPath(data, field.path, Array.isArray(value) ? [...value] : []);
    else if (typeof value === 'string' && value.trim() !== '') setPath(data, field.path, field.input === 'number' ? Number(value) : value.trim());
  }
  return data;
}
