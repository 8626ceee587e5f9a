import { z } from 'zod';
import { CALENDAR_DATE, CALENDAR_MONTH } from '../time/county-time';
import {
  ACTIVITY_KINDS,
  CARE_HOME_FACILITIES,
  CARER_ORGANISATIONS,
  CARER_ROLES,
  CHILD_CATEGORIES,
  ENROLLMENT_CHANGES,
  GENDERS,
  GUARDIAN_TYPES,
  INCIDENT_KINDS,
  INCIDENT_PARTIES,
  INCIDENT_SEVERITIES,
  LEFT_BEHIND_END_REASONS,
  PARENT_RELATIONS,
  PARENTS_AWAY,
  RISK_FLAGS,
  SCHOOL_LEVELS,
} from './enumerations';
import type { RefusalCode } from '../refusal';

/**
 * The `data` of every submitted event type (INTERCHANGE.md "Types and data fields"). Objects are
 * strict: an unknown field is refused, never ignored. A conditional rule that zod cannot express
 * as a shape raises a custom issue whose `params.refusal` names the refusal code, and states the
 * same rule in JSON Schema (`meta`) where JSON Schema can, so the OpenAPI description is exact.
 */

/** Ids of children, schools, carers, counties, pairings…: opaque, printable, safe inside a stream id. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
export const interchangeId = z.string().regex(ID_PATTERN, 'an id of 1–128 letters, digits and . _ : -');
const id = interchangeId;
// Not blank once trimmed (trim's whitespace is \s and U+FEFF), and no NUL (see storable-text.ts).
const TEXT_PATTERN = '^[^\\u0000]*[^\\s\\ufeff\\u0000][^\\u0000]*$';
const text = (max: number) => z.string().trim().min(1).max(max).meta({ pattern: TEXT_PATTERN });
const shortText = text(200);
const longText = text(4000);
const phone = z.string().regex(/^\+?\d[\d -]{3,22}\d$/, 'a phone number of digits, spaces and dashes');
const date = z.string().regex(CALENDAR_DATE, 'a date YYYY-MM-DD');
const month = z.string().regex(CALENDAR_MONTH, 'a month YYYY-MM');
const count = z.int().min(0).max(10_000_000);

type Ctx = z.core.$RefinementCtx<unknown>;
function conditional(ctx: Ctx, refusal: RefusalCode, path: (string | number)[], message: string): void {
  ctx.addIssue({ code: 'custom', path, message, params: { refusal } });
}

/** JSON Schema: at least one of these properties is given. */
const someOf = (names: readonly string[]) => ({ anyOf: names.map((name) => ({ required: [name] })) });
/** JSON Schema: `required` is given when `key` is one of `values`. */
const requiredWhen = (key: string, values: readonly string[], required: string) => ({
  anyOf: [{ properties: { [key]: { enum: values } }, required: [required] }, { properties: { [key]: { not: { enum: values } } } }],
});

function uniqueBy<T>(key: (item: T) => unknown, message: string, path: (i: number) => (string | number)[]) {
  return (items: readonly T[], ctx: Ctx) => {
    const seen = new Set<unknown>();
    items.forEach((item, i) => {
      if (seen.has(key(item))) conditional(ctx, 'invalid-value', path(i), message);
      seen.add(key(item));
    });
  };
}

// ---- school stream ----

export const schoolRegisteredData = z.strictObject({
  name: shortText,
  countyId: id,
  countyName: shortText,
  townshipId: id,
  townshipName: shortText,
  level: z.enum(SCHOOL_LEVELS),
  boarding: z.boolean(),
});

export const enrollmentReportedData = z.strictObject({
  term: z.string().regex(/^\d{4}-(spring|fall)$/, 'a term like 2025-spring or 2025-fall'),
  totalPupils: count,
});

export const careHomeOpenedData = z.strictObject({
  homeId: id,
  name: shortText,
  facilities: z
    .array(z.enum(CARE_HOME_FACILITIES))
    .superRefine(uniqueBy((f) => f, 'a facility listed twice', (i) => [i]))
    .meta({ uniqueItems: true }),
});

export const careHomeActivityHeldData = z.strictObject({
  homeId: id,
  title: shortText,
  participants: count,
});

// ---- carer stream ----

export const carerRegisteredData = z.strictObject({
  schoolId: id.optional(),
  organisation: z.enum(CARER_ORGANISATIONS),
  role: z.enum(CARER_ROLES),
  partyMember: z.boolean(),
  personal: z.strictObject({ name: shortText, phone: phone.optional() }),
});

export const carerRetiredData = z.strictObject({ reason: shortText });

// ---- child stream ----

const guardian = z.strictObject({
  name: shortText,
  relation: shortText,
  phone: phone.optional(),
  age: z.int().min(0).max(130).optional(),
  health: shortText.optional(),
  education: shortText.optional(),
});

const parent = z.strictObject({
  relation: z.enum(PARENT_RELATIONS),
  name: shortText.optional(),
  phone: phone.optional(),
  workCity: shortText.optional(),
  employer: shortText.optional(),
});

/**
 * `parents` has one or two entries, one per relation. It is never empty, so every given top-level
 * personal field yields at least one path in `personalFields` (see `personal-fields.ts`).
 */
const parents = z
  .array(parent)
  .min(1)
  .max(2)
  .superRefine(uniqueBy((p) => p.relation, 'the same parent listed twice', (i) => [i, 'relation']))
  .meta({ not: { anyOf: PARENT_RELATIONS.map((relation) => ({ minItems: 2, items: { properties: { relation: { enum: [relation] } } } })) } });

const childPersonal = z.strictObject({
  name: shortText,
  homeAddress: text(500).optional(),
  guardian: guardian.optional(),
  parents: parents.optional(),
  personality: text(1000).optional(),
  interests: text(1000).optional(),
});

export const childRegisteredData = z.strictObject({
  schoolId: id,
  grade: z.int().min(1).max(12),
  className: shortText,
  gender: z.enum(GENDERS),
  birthMonth: month,
  category: z.enum(CHILD_CATEGORIES),
  parentsAway: z.enum(PARENTS_AWAY),
  awaySince: date.optional(),
  guardianType: z.enum(GUARDIAN_TYPES),
  personal: childPersonal,
});

export const archiveUpdatedData = z
  .strictObject({
    grade: z.int().min(1).max(12).optional(),
    className: shortText.optional(),
    parentsAway: z.enum(PARENTS_AWAY).optional(),
    awaySince: date.optional(),
    personal: childPersonal
      .partial()
      .meta(someOf(Object.keys(childPersonal.shape)))
      .optional(),
  })
  .superRefine((data, ctx) => {
    if (Object.keys(data).length === 0) conditional(ctx, 'missing-field', [], 'an archive update changes at least one field');
    if (data.personal && Object.keys(data.personal).length === 0) {
      conditional(ctx, 'missing-field', ['personal'], 'personal, when given, changes at least one field');
    }
  })
  .meta(someOf(['grade', 'className', 'parentsAway', 'awaySince', 'personal']));

export const guardianshipChangedData = z.strictObject({
  guardianType: z.enum(GUARDIAN_TYPES),
  personal: z.strictObject({ guardian }).optional(),
});

export const riskData = z.strictObject({ flag: z.enum(RISK_FLAGS) });

export const pairingStartedData = z.strictObject({ pairingId: id, carerId: id, role: z.enum(CARER_ROLES) });

export const pairingEndedData = z.strictObject({ pairingId: id, reason: shortText });

export const careActivityRecordedData = z
  .strictObject({
    activityId: id,
    kind: z.enum(ACTIVITY_KINDS),
    carerId: id.optional(),
    minutes: z.int().min(0).max(24 * 60).optional(),
    amountYuan: z.number().min(0).max(100_000_000).optional(),
    items: text(1000).optional(),
    homeId: id.optional(),
    personal: z.strictObject({ notes: longText }).optional(),
  })
  .superRefine((data, ctx) => {
    if (data.kind === 'aid' && data.amountYuan === undefined) {
      conditional(ctx, 'missing-field', ['amountYuan'], 'amountYuan is required for aid');
    }
  })
  .meta(requiredWhen('kind', ['aid'], 'amountYuan'));

export const careActivityVoidedData = z.strictObject({ activityId: id, reason: shortText });

export const incidentReportedData = z.strictObject({
  incidentId: id,
  kind: z.enum(INCIDENT_KINDS),
  severity: z.enum(INCIDENT_SEVERITIES),
  personal: z.strictObject({ description: longText }).optional(),
});

export const incidentPartyNotifiedData = z.strictObject({ incidentId: id, party: z.enum(INCIDENT_PARTIES) });

export const incidentResolvedData = z.strictObject({ incidentId: id, outcome: shortText });

const TRANSFERS: readonly string[] = ['transferred-out', 'transferred-in'];

export const enrollmentChangedData = z
  .strictObject({
    change: z.enum(ENROLLMENT_CHANGES),
    schoolId: id,
    otherSchoolId: id.optional(),
    reason: shortText.optional(),
  })
  .superRefine((data, ctx) => {
    const transfer = TRANSFERS.includes(data.change);
    if (transfer && data.otherSchoolId === undefined) {
      conditional(ctx, 'missing-field', ['otherSchoolId'], 'otherSchoolId is required for transfers');
    }
    if (data.otherSchoolId !== undefined && data.otherSchoolId === data.schoolId) {
      conditional(ctx, 'invalid-enrollment-change', ['otherSchoolId'], 'otherSchoolId must differ from schoolId');
    }
  })
  .meta(requiredWhen('change', TRANSFERS, 'otherSchoolId'));

export const leftBehindStatusEndedData = z.strictObject({ reason: z.enum(LEFT_BEHIND_END_REASONS) });

export const leftBehindStatusResumedData = z.strictObject({
  parentsAway: z.enum(PARENTS_AWAY).exclude(['none']),
  awaySince: date.optional(),
});

export const personalDataErasedData = z.strictObject({ reason: shortText });

export type SchoolRegisteredData = z.output<typeof schoolRegisteredData>;
export type EnrollmentReportedData = z.output<typeof enrollmentReportedData>;
export type CareHomeOpenedData = z.output<typeof careHomeOpenedData>;
export type CareHomeActivityHeldData = z.output<typeof careHomeActivityHeldData>;
export type CarerRegisteredData = z.output<typeof carerRegisteredData>;
export type CarerRetiredData = z.output<typeof carerRetiredData>;
export type ChildPersonal = z.output<typeof childPersonal>;
export type ChildRegisteredData = z.output<typeof childRegisteredData>;
export type ArchiveUpdatedData = z.output<typeof archiveUpdatedData>;
export type GuardianshipChangedData = z.output<typeof guardianshipChangedData>;
export type RiskData = z.output<typeof riskData>;
export type PairingStartedData = z.output<typeof pairingStartedData>;
export type PairingEndedData = z.output<typeof pairingEndedData>;
export type CareActivityRecordedData = z.output<typeof careActivityRecordedData>;
export type CareActivityVoidedData = z.output<typeof careActivityVoidedData>;
export type IncidentReportedData = z.output<typeof incidentReportedData>;
export type IncidentPartyNotifiedData = z.output<typeof incidentPartyNotifiedData>;
export type IncidentResolvedData = z.output<typeof incidentResolvedData>;
export type EnrollmentChangedData = z.output<typeof enrollmentChangedData>;
export type LeftBehindStatusEndedData = z.output<typeof leftBehindStatusEndedData>;
export type LeftBehindStatusResumedData = z.output<typeof leftBehindStatusResumedData>;
export type PersonalDataErasedData = z.output<typeof personalDataErasedData>;
