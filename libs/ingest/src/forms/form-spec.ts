import { applyDecorators, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiResponse } from '@nestjs/swagger';
import type { EventType, SubjectKey } from '@lbc/domain';
import { z } from 'zod';
import { Roles } from '../auth/auth.decorators';
import { EventResultDto } from '../events/events.dto';

/** A web form that produces one interchange event. */
export interface FormSpec {
  readonly type: EventType;
  readonly subject: SubjectKey;
  /** The event's `data` schema (from `@lbc/domain`), for the OpenAPI body. */
  readonly data: z.ZodType;
  /** `data` fields the path carries (e.g. `activityId` of `…/activities/:activityId/void`). */
  readonly fromPath?: readonly string[];
  /** `data` id fields generated when the form leaves them out (e.g. a new `activityId`). */
  readonly generated?: readonly string[];
  /** A registration: the subject id comes in the body, or is generated. */
  readonly registers?: boolean;
  /** `data.schoolId`, when left out, is the school of the school user sending the form. */
  readonly schoolFromActor?: boolean;
}

function bodySchemaOf(spec: FormSpec): Record<string, unknown> {
  const data = z.toJSONSchema(spec.data, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, unknown>;
    required?: string[];
  };
  const omitted = new Set(spec.fromPath ?? []);
  const properties = Object.fromEntries(Object.entries(data.properties ?? {}).filter(([name]) => !omitted.has(name)));
  const optional = new Set([...(spec.generated ?? []), ...omitted, ...(spec.schoolFromActor ? ['schoolId'] : [])]);
  return {
    type: 'object',
    additionalProperties: false,
    properties: {
      eventId: { type: 'string', format: 'uuid', description: 'Idempotency key; generated when absent' },
      occurredAt: { type: 'string', description: 'ISO-8601 with offset or YYYY-MM-DD; now when absent' },
      ...(spec.registers ? { [spec.subject]: { type: 'string', description: 'Generated (UUID) when absent' } } : {}),
      ...properties,
    },
    required: (data.required ?? []).filter((name) => !optional.has(name)),
  };
}

/** POST endpoint of a form: who may send it, its body schema and answers in the OpenAPI document. */
export function FormEndpoint(path: string, spec: FormSpec, summary: string): MethodDecorator {
  return applyDecorators(
    Post(path),
    HttpCode(201),
    Roles('school_staff', 'school_admin', 'platform_admin'),
    ApiBearerAuth(),
    ApiOperation({ summary, description: `Records a \`${spec.type}\` event through the same path as POST /api/v1/events.` }),
    ApiBody({ schema: bodySchemaOf(spec) }),
    ApiCreatedResponse({ type: EventResultDto, description: 'Accepted' }),
    ApiOkResponse({ type: EventResultDto, description: 'A resent eventId: duplicate, nothing written' }),
    ApiResponse({ status: 400, description: 'A form field is malformed (problem with code and field)' }),
    ApiResponse({ status: 403, description: 'The subject is not of the caller’s school (code forbidden)' }),
    ApiResponse({ status: 409, description: 'The eventId was sent before with other content, or a concurrent write (code conflict)' }),
    ApiResponse({ status: 422, description: 'A rule of DOMAIN.md refused it (problem with code and field)' }),
  );
}
