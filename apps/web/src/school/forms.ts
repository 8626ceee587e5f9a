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
  /** A whole number (a grade, minutes, a count). */
  readonly integer?: boolean;
  /** What a text must look like (a phone number, a term, an id). */
  readonly pattern?: RegExp;
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

// The interchange schema's limits (libs/domain submitted-event.schema.ts): a short text 200
// characters, a count up to ten million, an id, a phone number, a term.
const SHORT = 200;
const COUNT = { input: 'number', required: true, integer: true, min: 0, max: 10_000_000 } as const;
const PHONE = /^\+?\d[\d -]{3,22}\d$/;
const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const TERM = /^\d{4}-(spring|fall)$/;

const text = (path: string, required = false, maxLength = SHORT): Field => ({ path, input: 'text', required, maxLength });
const select = (path: string, options: EnumName, required = true): Field => ({ path, input: 'select', options, required });
const phone = (path: string): Field => ({ path, input: 'tel', maxLength: 25, pattern: PHONE });
const grade = (required: boolean): Field => ({ path: 'grade', input: 'number', required, integer: true, min: 1, max: 12 });

const guardian: readonly Field[] = [text('personal.guardian.name'), text('personal.guardian.relation'), phone('personal.guardian.phone')];
/** A guardian given at all is given with a name and a relation, as the schema asks. */
const GUARDIAN_NEEDS = ['personal.guardian.name', 'personal.guardian.relation'];
const archive: readonly Field[] = [
  grade(false),
  text('className'),
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
      { path: 'minutes', input: 'number', integer: true, min: 0, max: 1440 },
      { path: 'amountYuan', input: 'number', min: 0, max: 100_000_000, when: { path: 'kind', value: 'aid' } },
      { path: 'items', input: 'text', maxLength: 1000, when: { path: 'kind', value: 'aid' } },
      { path: 'personal.notes', input: 'textarea', maxLength: 4000 },
    ],
  },
  registerChild: {
    type: 'ChildRegistered',
    subject: 'childId',
    registers: true,
    schoolId: true,
    fields: [
      text('personal.name', true),
      select('gender', 'gender'),
      { path: 'birthMonth', input: 'month', required: true },
      grade(true),
      text('className', true),
      select('category', 'category'),
      select('parentsAway', 'parentsAway'),
      { path: 'awaySince', input: 'date' },
      select('guardianType', 'guardianType'),
      text('personal.homeAddress', false, 500),
      ...guardian,
    ],
  },
  startPairing: { type: 'PairingStarted', subject: 'childId', ids: ['pairingId'], fields: [{ path: 'carerId', input: 'carer', required: true }, select('role', 'carerRole')] },
  endPairing: { type: 'PairingEnded', subject: 'childId', fields: [text('reason', true)] },
  reportIncident: { type: 'IncidentReported', subject: 'childId', ids: ['incidentId'], fields: [select('kind', 'incidentKind'), select('severity', 'severity'), { path: 'personal.description', input: 'textarea', maxLength: 4000 }] },
  notifyIncidentParty: { type: 'IncidentPartyNotified', subject: 'childId', fields: [select('party', 'party')] },
  resolveIncident: { type: 'IncidentResolved', subject: 'childId', fields: [text('outcome', true)] },
  flagRisk: { type: 'RiskFlagged', subject: 'childId', fields: [select('flag', 'flag')] },
  clearRisk: { type: 'RiskCleared', subject: 'childId', fields: [select('flag', 'flag')] },
  voidActivity: { type: 'CareActivityVoided', subject: 'childId', fields: [text('reason', true)] },
  updateArchive: { type: 'ArchiveUpdated', subject: 'childId', fields: archive },
  changeGuardianship: { type: 'GuardianshipChanged', subject: 'childId', fields: [select('guardianType', 'guardianType'), ...guardian] },
  changeEnrollment: {
    type: 'EnrollmentChanged',
    subject: 'childId',
    schoolId: true,
    fields: [select('change', 'enrollmentChange'), { ...text('otherSchoolId', false, 128), pattern: ID }, text('reason')],
  },
  endLeftBehindStatus: { type: 'LeftBehindStatusEnded', subject: 'childId', fields: [select('reason', 'endReason')] },
  resumeLeftBehindStatus: { type: 'LeftBehindStatusResumed', subject: 'childId', fields: [select('parentsAway', 'parentsAway'), { path: 'awaySince', input: 'date' }] },
  registerCarer: {
    type: 'CarerRegistered',
    subject: 'carerId',
    registers: true,
    schoolId: true,
    fields: [text('personal.name', true), phone('personal.phone'), select('organisation', 'organisation'), select('role', 'carerRole'), { path: 'partyMember', input: 'checkbox' }],
  },
  retireCarer: { type: 'CarerRetired', subject: 'carerId', fields: [text('reason', true)] },
  openCareHome: { type: 'CareHomeOpened', subject: 'schoolId', ids: ['homeId'], fields: [text('name', true), { path: 'facilities', input: 'choices', options: 'facility' }] },
  holdCareHomeActivity: { type: 'CareHomeActivityHeld', subject: 'schoolId', fields: [{ path: 'homeId', input: 'home', required: true }, text('title', true), { path: 'participants', ...COUNT }] },
  reportEnrollment: { type: 'EnrollmentReported', subject: 'schoolId', fields: [{ ...text('term', true, 11), pattern: TERM }, { path: 'totalPupils', ...COUNT }] },
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

const filled = (value: Values[string] | undefined) => {
  const text = textOf(value);
  return typeof text === 'string' && text.trim() !== '';
};

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
      const outside = (field.min !== undefined && number < field.min) || (field.max !== undefined && number > field.max);
      if (!Number.isFinite(number) || outside || (field.integer && !Number.isInteger(number))) errors[field.path] = 'invalid-value';
    } else if (field.maxLength !== undefined && value.trim().length > field.maxLength) errors[field.path] = 'too-long';
    else if (field.pattern !== undefined && !field.pattern.test(value.trim())) errors[field.path] = 'invalid-value';
  }
  if (spec.fields.some((field) => field.path.startsWith('personal.guardian.') && filled(values[field.path]))) {
    for (const path of GUARDIAN_NEEDS) if (!filled(values[path])) errors[path] ??= 'missing-field';
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
