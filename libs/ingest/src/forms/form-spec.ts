import { applyDecorators, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiResponse } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger';
import type { EventType, SubjectKey, SubjectKind } from '@lbc/domain';
import { SUBJECT_KEYS, SUBMITTED_EVENT_SCHEMAS } from '@lbc/domain';
import type { z } from 'zod';
import { openApiSchemaOf, Roles } from '@lbc/http';
import { EventResultDto } from '../events/events.dto';

/** A web form that produces one interchange event. */
export interface FormSpec {
  readonly type: EventType;
  readonly subject: SubjectKey;
  /** `data` fields the path carries (e.g. `activityId` of `…/activities/:activityId/void`). */
  readonly fromPath?: readonly string[];
  /** `data` id fields generated when the form leaves them out (e.g. a new `activityId`). */
  readonly generated?: readonly string[];
  /** A registration: the subject id comes in the body, or is generated. */
  readonly registers?: boolean;
  /** `data.schoolId`, when left out, is the school of the school user sending the form. */
  readonly schoolFromActor?: boolean;
}

interface ObjectSchema {
  readonly properties: Record<string, Record<string, unknown>>;
  readonly required?: string[];
  readonly anyOf?: unknown[];
}

/** The event's envelope as JSON Schema, as the interchange parser checks it. */
function envelopeOf(spec: FormSpec): ObjectSchema {
  const kind = (Object.keys(SUBJECT_KEYS) as SubjectKind[]).find((candidate) => SUBJECT_KEYS[candidate] === spec.subject);
  return openApiSchemaOf(SUBMITTED_EVENT_SCHEMAS.get(`${spec.type}/${kind}`) as z.ZodType) as unknown as ObjectSchema;
}

/** The form's body: the event's `data` fields beside optional `eventId` and `occurredAt`. */
function bodySchemaOf(spec: FormSpec, envelope: ObjectSchema): Record<string, unknown> {
  const data = envelope.properties['data'] as unknown as ObjectSchema;
  const omitted = new Set(spec.fromPath ?? []);
  const optional = new Set([...(spec.generated ?? []), ...omitted, ...(spec.schoolFromActor ? ['schoolId'] : [])]);
  const { eventId, occurredAt, [spec.subject]: subjectId } = envelope.properties;
  return {
    type: 'object',
    additionalProperties: false,
    properties: {
      eventId: { ...eventId, description: 'Idempotency key; generated when absent' },
      occurredAt: { ...occurredAt, description: 'ISO-8601 with offset or YYYY-MM-DD; now when absent' },
      ...(spec.registers ? { [spec.subject]: { ...subjectId, description: 'Generated (UUID) when absent' } } : {}),
      ...Object.fromEntries(Object.entries(data.properties).filter(([name]) => !omitted.has(name))),
    },
    required: (data.required ?? []).filter((name) => !optional.has(name)),
    ...(data.anyOf ? { anyOf: data.anyOf } : {}),
  };
}

/** POST endpoint of a form: who may send it, its body schema and answers in the OpenAPI document. */
export function FormEndpoint(path: string, spec: FormSpec, summary: string): MethodDecorator {
  const envelope = envelopeOf(spec);
  const data = envelope.properties['data'] as unknown as ObjectSchema;
  return applyDecorators(
    Post(path),
    HttpCode(201),
    Roles('school_staff', 'school_admin', 'platform_admin'),
    ApiOperation({ summary, description: `Records a \`${spec.type}\` event through the same path as POST /api/v1/events.` }),
    ApiBody({ schema: bodySchemaOf(spec, envelope) }),
    ...(spec.fromPath ?? []).map((name) => ApiParam({ name, schema: data.properties[name] as SchemaObject })),
    ApiCreatedResponse({ type: EventResultDto, description: 'Accepted' }),
    ApiOkResponse({ type: EventResultDto, description: 'A resent eventId: duplicate, nothing written' }),
    ApiResponse({ status: 400, description: 'A form field is malformed (problem with code and field)' }),
    ApiResponse({ status: 403, description: 'The subject is not of the caller’s school (code forbidden)' }),
    ApiResponse({ status: 409, description: 'The eventId was sent before with other content, or a concurrent write (code conflict)' }),
    ApiResponse({
      status: 422,
      description: 'A rule of DOMAIN.md refused it, or schoolId is missing from a caller bound to no school (problem with code and field)',
    }),
  );
}
