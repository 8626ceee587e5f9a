import { Controller, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiConsumes, ApiExtraModels, ApiOkResponse, ApiOperation, ApiQuery, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { Config } from '@lbc/config';
import type { Session } from '@lbc/http';
import { CONFIG, CurrentUser, Problem, Roles, validate } from '@lbc/http';
import { readEventBatch } from './event-batch-body';
import type { EventResult } from './event-result';
import { EventBatchResponseDto, EventResultDto } from './events.dto';
import { RecordEventsCommand } from './record-events.command';
import { problemOfRejected } from './rejection-status';

const SUBMITTED_EVENT = '#/components/schemas/SubmittedEventDto';
const eventsQuery = z.strictObject({ atomic: z.enum(['true', 'false']).optional() });

@ApiTags('events')
@Controller('api/v1/events')
export class EventsController {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  @Post()
  @HttpCode(200)
  @Roles('school_staff', 'school_admin', 'platform_admin')
  @ApiOperation({
    summary: 'Submit events: one JSON object, a JSON array, or NDJSON (application/x-ndjson)',
    description:
      'Each event gets a result, in order: accepted (201 for a single event), duplicate (a resent eventId), or rejected ' +
      '(reason and field). A single rejected event is answered as a problem (400 malformed, 403 forbidden, 409 conflict, 422 a rule); ' +
      'a batch with rejections as a 422 problem carrying every result. ?atomic=true writes nothing unless every event is accepted or duplicate.',
  })
  @ApiConsumes('application/json', 'application/x-ndjson')
  @ApiBody({ schema: { oneOf: [{ $ref: SUBMITTED_EVENT }, { type: 'array', minItems: 1, items: { $ref: SUBMITTED_EVENT } }] } })
  @ApiQuery({ name: 'atomic', required: false, enum: ['true', 'false'] })
  @ApiExtraModels(EventResultDto, EventBatchResponseDto)
  @ApiOkResponse({
    description: 'A single event that is a duplicate (its own result), or a batch without rejections',
    schema: { oneOf: [{ $ref: getSchemaPath(EventResultDto) }, { $ref: getSchemaPath(EventBatchResponseDto) }] },
  })
  @ApiResponse({ status: 201, type: EventResultDto, description: 'A single event, accepted (a batch is never 201)' })
  @ApiResponse({ status: 400, description: 'A body that is not JSON or NDJSON, or a single event that is malformed (problem with `field`)' })
  @ApiResponse({ status: 403, description: 'A single event of a subject the caller may not write (code forbidden)' })
  @ApiResponse({ status: 409, description: 'A single event whose eventId was sent before with other content (code conflict)' })
  @ApiResponse({ status: 413, description: 'Body above INGEST_MAX_BODY_BYTES or more than INGEST_MAX_EVENTS events (problem with `limit`)' })
  @ApiResponse({ status: 422, description: 'Some events rejected (problem with `results`), or a single event a rule refused' })
  async submit(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @Query() query: unknown,
    @CurrentUser() actor: Session,
  ): Promise<EventResult | EventBatchResponseDto> {
    const { atomic } = validate(eventsQuery, query, 'query');
    const text = typeof request.body === 'string' ? request.body : '';
    const batch = readEventBatch(text, request.header('content-type'), this.config.INGEST_MAX_EVENTS);
    const results = await this.commandBus.execute(
      new RecordEventsCommand(batch.submissions, actor, { atomic: atomic === 'true', correlationId: request.requestId }),
    );
    if (batch.single) {
      const [result] = results;
      if (result.status === 'rejected') {
        throw problemOfRejected(result, result.field, { results });
      }
      response.status(result.status === 'accepted' ? 201 : 200);
      return result;
    }
    const count = (status: EventResult['status']) => results.filter((result) => result.status === status).length;
    const summary = { results, accepted: count('accepted'), duplicate: count('duplicate'), rejected: count('rejected') };
    const firstRejected = results.findIndex((result) => result.status === 'rejected' && result.reason !== 'atomic-batch-aborted');
    if (firstRejected >= 0) {
      const first = results[firstRejected];
      const detail = atomic === 'true' ? `Event ${firstRejected} was rejected (${first.reason}); nothing was written` : `${summary.rejected} of ${results.length} events were rejected; the others were applied`;
      throw new Problem(422, atomic === 'true' ? 'atomic-batch-rejected' : 'events-rejected', detail, `[${firstRejected}]${first.field ? `.${first.field}` : ''}`, summary);
    }
    return summary;
  }
}
