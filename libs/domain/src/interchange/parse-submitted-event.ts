import { z } from 'zod';
import { refusal } from '../refusal';
import type { Refusal, RefusalCode } from '../refusal';
import { fieldPath } from './field-path';
import { normaliseOccurredAt, OCCURRED_AT } from './occurred-at';
import { unstorableTextAt } from './storable-text';
import * as data from './submitted-event.schema';
import { SUBJECT_KEYS } from './submitted-event';
import type { EventType, SubjectKey, SubjectKind, SubmittedEvent } from './submitted-event';

const DATA_SCHEMAS: Readonly<Record<EventType, z.ZodType>> = {
  SchoolRegistered: data.schoolRegisteredData,
  EnrollmentReported: data.enrollmentReportedData,
  CareHomeOpened: data.careHomeOpenedData,
  CareHomeActivityHeld: data.careHomeActivityHeldData,
  CarerRegistered: data.carerRegisteredData,
  CarerRetired: data.carerRetiredData,
  ChildRegistered: data.childRegisteredData,
  ArchiveUpdated: data.archiveUpdatedData,
  GuardianshipChanged: data.guardianshipChangedData,
  RiskFlagged: data.riskData,
  RiskCleared: data.riskData,
  PairingStarted: data.pairingStartedData,
  PairingEnded: data.pairingEndedData,
  CareActivityRecorded: data.careActivityRecordedData,
  CareActivityVoided: data.careActivityVoidedData,
  IncidentReported: data.incidentReportedData,
  IncidentPartyNotified: data.incidentPartyNotifiedData,
  IncidentResolved: data.incidentResolvedData,
  EnrollmentChanged: data.enrollmentChangedData,
  LeftBehindStatusEnded: data.leftBehindStatusEndedData,
  LeftBehindStatusResumed: data.leftBehindStatusResumedData,
  PersonalDataErased: data.personalDataErasedData,
};

const SCHOOL_TYPES: readonly EventType[] = ['SchoolRegistered', 'EnrollmentReported', 'CareHomeOpened', 'CareHomeActivityHeld'];
const CARER_TYPES: readonly EventType[] = ['CarerRegistered', 'CarerRetired'];

/** Which subjects an event type may have; `PersonalDataErased` applies to children and carers. */
export function subjectKindsOf(type: EventType): readonly SubjectKind[] {
  if (type === 'PersonalDataErased') return ['child', 'carer'];
  if (SCHOOL_TYPES.includes(type)) return ['school'];
  return CARER_TYPES.includes(type) ? ['carer'] : ['child'];
}

export const EVENT_TYPES = Object.keys(DATA_SCHEMAS) as readonly EventType[];

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
// The idempotency key compares as text, so one UUID must have one spelling.
const eventId = z
  .string()
  .regex(UUID, 'a UUID')
  .transform((s) => s.toLowerCase());
const occurredAt = z
  .string()
  .meta({ pattern: OCCURRED_AT.source })
  .transform((text, ctx) => {
    const normalised = normaliseOccurredAt(text);
    if (normalised !== null) return normalised;
    ctx.addIssue({ code: 'custom', message: 'an ISO-8601 instant with offset, or a date YYYY-MM-DD (county-local)' });
    return z.NEVER;
  });

function envelope(type: EventType, subject: SubjectKey): z.ZodType {
  return z.strictObject({
    eventId,
    type: z.literal(type),
    [subject]: data.interchangeId,
    occurredAt,
    data: DATA_SCHEMAS[type],
  });
}

/** The schema of each submitted event, by `${type}/${subject kind}` (e.g. `PersonalDataErased/carer`). */
export const SUBMITTED_EVENT_SCHEMAS: ReadonlyMap<string, z.ZodType> = new Map(
  EVENT_TYPES.flatMap((type) => subjectKindsOf(type).map((kind) => [`${type}/${kind}`, envelope(type, SUBJECT_KEYS[kind])])),
);

export type ParseResult = { readonly ok: true; readonly event: SubmittedEvent } | { readonly ok: false; readonly refusal: Refusal };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPresent(raw: unknown, path: readonly PropertyKey[]): boolean {
  let at: unknown = raw;
  for (const key of path) {
    if (typeof at !== 'object' || at === null || !Object.prototype.hasOwnProperty.call(at, key)) return false;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return at !== undefined;
}

function refusalOf(issue: z.core.$ZodIssue, raw: unknown): Refusal {
  const field = fieldPath(issue.path);
  const say = (code: RefusalCode, at: string, message: string) => refusal(code, at, at === '' ? message : `${at}: ${message}`);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const unknown = fieldPath([...issue.path, issue.keys[0]]);
      return say('unknown-field', unknown, 'unknown field (unknown fields are refused, not ignored)');
    }
    case 'custom':
      return say((issue.params?.['refusal'] as RefusalCode | undefined) ?? 'invalid-value', field, issue.message);
    default:
      return isPresent(raw, issue.path) ? say('invalid-value', field, issue.message) : say('missing-field', field, 'required field is missing');
  }
}

/**
 * Checks one submitted event against INTERCHANGE.md. On success `eventId` is lower-cased and
 * `occurredAt` normalised (`normaliseOccurredAt`); text fields are trimmed. Text no store can keep
 * (`unstorableTextAt`) is refused wherever it is, keys included. On failure the refusal names the
 * first offending field; nothing about the event is kept.
 */
export function parseSubmittedEvent(raw: unknown): ParseResult {
  const refuse = (code: RefusalCode, field: string, message: string): ParseResult => ({ ok: false, refusal: refusal(code, field, message) });
  if (!isRecord(raw)) return refuse('invalid-value', '', 'a submitted event is a JSON object');
  const unstorable = unstorableTextAt(raw);
  if (unstorable !== null) return refuse('invalid-value', unstorable, `${unstorable}: text with a NUL character or an unpaired surrogate`);
  if (!('type' in raw)) return refuse('missing-field', 'type', 'type: required field is missing');
  const type = raw['type'];
  if (typeof type !== 'string') return refuse('invalid-value', 'type', 'type: an event type name');
  if (!Object.prototype.hasOwnProperty.call(DATA_SCHEMAS, type)) return refuse('unknown-type', 'type', `type: unknown event type ${JSON.stringify(type)}`);

  const allowed = subjectKindsOf(type as EventType);
  const expected = allowed.map((kind) => SUBJECT_KEYS[kind]).join(' or ');
  const given = (Object.keys(SUBJECT_KEYS) as SubjectKind[]).filter((kind) => SUBJECT_KEYS[kind] in raw);
  const wrong = given.find((kind) => !allowed.includes(kind));
  if (wrong !== undefined) return refuse('invalid-subject', SUBJECT_KEYS[wrong], `${type} takes ${expected}, not ${SUBJECT_KEYS[wrong]}`);
  if (given.length === 0) return refuse('invalid-subject', SUBJECT_KEYS[allowed[0]], `${type} takes exactly one subject id: ${expected}`);
  if (given.length > 1) return refuse('invalid-subject', SUBJECT_KEYS[given[1]], `${type} takes exactly one subject id: ${expected}`);

  const result = (SUBMITTED_EVENT_SCHEMAS.get(`${type}/${given[0]}`) as z.ZodType).safeParse(raw);
  if (!result.success) return { ok: false, refusal: refusalOf(result.error.issues[0], raw) };
  return { ok: true, event: result.data as SubmittedEvent };
}
