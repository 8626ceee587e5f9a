import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { parseSubmittedEvent } from '@lbc/domain';
import type { Session } from '@lbc/http';
import { CLOCK, Problem } from '@lbc/http';
import type { EventResult } from '../events/event-result';
import { RecordEventsCommand } from '../events/record-events.command';
import { problemOfRejected } from '../events/rejection-status';
import type { FormSpec } from './form-spec';

export interface FormRequest {
  readonly body: unknown;
  readonly params: Readonly<Record<string, string>>;
  readonly actor: Session;
  readonly request: Request;
  readonly response: Response;
}

/**
 * Turns a form into its interchange event (envelope fields `eventId` and `occurredAt` from the
 * body or generated; the rest is `data`) and records it like POST /api/v1/events. Refusals name
 * the form's field (`data.grade` becomes `grade`).
 */
@Injectable()
export class FormSubmitter {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(CLOCK) private readonly clock: () => Date,
  ) {}

  async submit(spec: FormSpec, form: FormRequest): Promise<EventResult & Record<string, unknown>> {
    if (typeof form.body !== 'object' || form.body === null || Array.isArray(form.body)) {
      throw new Problem(400, 'invalid-value', 'The form body is a JSON object', '');
    }
    const { eventId, occurredAt, [spec.subject]: givenSubjectId, ...fields } = form.body as Record<string, unknown>;
    // Only an absent field is filled in: a null is sent on to the parser, which refuses it.
    const subjectId = spec.registers ? (givenSubjectId === undefined ? randomUUID() : givenSubjectId) : form.params[spec.subject];
    if (!spec.registers && givenSubjectId !== undefined) throw new Problem(400, 'unknown-field', `${spec.subject} comes from the path`, spec.subject);
    const data: Record<string, unknown> = { ...fields };
    for (const name of spec.generated ?? []) if (data[name] === undefined) data[name] = randomUUID();
    if (spec.schoolFromActor && data['schoolId'] === undefined) {
      // Well-formed for a school's user, whose school it is; a caller bound to no school must name one.
      if (!form.actor.schoolId) throw new Problem(422, 'missing-field', `schoolId: required of ${form.actor.role}, who is bound to no school`, 'schoolId');
      data['schoolId'] = form.actor.schoolId;
    }
    for (const name of spec.fromPath ?? []) data[name] = form.params[name];
    const raw = {
      eventId: eventId === undefined ? randomUUID() : eventId,
      type: spec.type,
      [spec.subject]: subjectId,
      occurredAt: occurredAt === undefined ? this.clock().toISOString() : occurredAt,
      data,
    };
    const parsed = parseSubmittedEvent(raw);
    const [result] = await this.commandBus.execute(
      new RecordEventsCommand([{ eventId: typeof raw.eventId === 'string' ? raw.eventId : null, parsed }], form.actor, {
        atomic: false,
        correlationId: form.request.requestId,
      }),
    );
    if (result.status === 'rejected') {
      const field = result.field?.startsWith('data.') ? result.field.slice('data.'.length) : result.field;
      throw problemOfRejected(result, field, {});
    }
    form.response.status(result.status === 'accepted' ? 201 : 200);
    return { ...result, [spec.subject]: subjectId, ...Object.fromEntries((spec.generated ?? []).map((name) => [name, data[name]])) };
  }
}
