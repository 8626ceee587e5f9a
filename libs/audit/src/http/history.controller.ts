import { Controller, Get, Inject, Param, Query, Req, StreamableFile } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { z } from 'zod';
import { CALENDAR_DATE, EVENT_TYPES, ID_PATTERN } from '@lbc/domain';
import type { Session } from '@lbc/http';
import { CurrentUser, Problem, Roles, objectSchema, validate } from '@lbc/http';
import { ApiReadProblems, dateParam } from '@lbc/read-api';
import { historyPdf } from '../history/history-pdf';
import type { StreamHistory } from '../history/stream-history';
import { AUDIT_ROLES, REASON_PATTERN, STREAM_ID, reasonParam } from './audit-params';
import { AUDIT_CLOCK } from './audit.tokens';
import { BOOLEAN, INTEGER, NULLABLE_STRING, STRING } from './openapi-types';
import { GetStreamHistoryQuery } from './get-stream-history.query';

const historyQuery = z.strictObject({
  reason: reasonParam,
  schoolId: z.string().regex(ID_PATTERN, 'must be an id').optional(),
  from: dateParam.optional(),
  to: dateParam.optional(),
  type: z.enum(EVENT_TYPES).optional(),
  format: z.enum(['json', 'pdf']).default('json'),
});

const REFERENCE_PROPERTIES = { eventId: STRING, relation: { type: 'string', enum: ['voids', 'ends', 'notifies', 'resolves'] } };
// The envelope of DOMAIN.md, a line for what the event is, one for where it came from and how it is chained.
const EVENT_SCHEMA = objectSchema({
  eventId: STRING, type: STRING, revision: INTEGER, globalPosition: INTEGER, occurredAt: STRING, recordedAt: STRING, recordedBy: STRING,
  schoolId: NULLABLE_STRING, countyId: NULLABLE_STRING, correlationId: STRING, causationId: NULLABLE_STRING, prevHash: STRING, hash: STRING,
  data: { type: 'object', additionalProperties: true, description: '`personal` opened, or `{ "erased": true }`' },
  refersTo: objectSchema(REFERENCE_PROPERTIES, { nullable: true }),
  referredBy: { type: 'array', items: objectSchema(REFERENCE_PROPERTIES) },
});

const HISTORY_SCHEMA = objectSchema({
  streamId: STRING,
  chain: objectSchema(
    { ok: BOOLEAN, revision: INTEGER, reason: STRING },
    { optional: ['revision', 'reason'], description: 'The whole stream’s hash chain, checked before the filters' },
  ),
  events: { type: 'array', items: EVENT_SCHEMA },
  openedFields: { type: 'array', items: STRING, description: 'Personal fields opened, as recorded in the access log' },
  personalErased: BOOLEAN,
});

@ApiTags('audit')
@Controller('api/v1/audit/streams')
export class HistoryController {
  constructor(
    private readonly queryBus: QueryBus,
    @Inject(AUDIT_CLOCK) private readonly clock: () => Date,
  ) {}

  @Get(':streamId')
  @Roles(...AUDIT_ROLES)
  @ApiOperation({
    operationId: 'getStreamHistory',
    summary: 'A child’s, carer’s or school’s complete history with its envelope, personal data opened; as JSON or a printable PDF',
    description:
      'Auditors: the events recorded in their county; platform_admin: all. The `reason` is recorded in the access log, with who, when and ' +
      'which fields, before anything is returned.',
  })
  @ApiParam({ name: 'streamId', schema: { type: 'string', pattern: STREAM_ID.source } })
  @ApiQuery({ name: 'reason', required: true, schema: { type: 'string', minLength: 4, maxLength: 500, pattern: REASON_PATTERN } })
  @ApiQuery({ name: 'schoolId', required: false, schema: { type: 'string', pattern: ID_PATTERN.source } })
  @ApiQuery({ name: 'from', required: false, schema: { type: 'string', format: 'date', pattern: CALENDAR_DATE.source } })
  @ApiQuery({ name: 'to', required: false, schema: { type: 'string', format: 'date', pattern: CALENDAR_DATE.source } })
  @ApiQuery({ name: 'type', required: false, schema: { type: 'string', enum: [...EVENT_TYPES] } })
  @ApiQuery({ name: 'format', required: false, schema: { type: 'string', enum: ['json', 'pdf'], default: 'json' } })
  @ApiProduces('application/json', 'application/pdf')
  @ApiOkResponse({
    description: 'The history, filtered',
    content: { 'application/json': { schema: HISTORY_SCHEMA }, 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiReadProblems({
    badRequest: 'No reason, or a malformed or unknown parameter (`field` names it)',
    forbidden: 'Any role but auditor and platform_admin (code forbidden)',
    notFound: 'No such stream, or none of its events in the auditor’s county (code unknown-stream)',
    unprocessable: 'from after to (code invalid-value, field query.from)',
  })
  async history(
    @Param('streamId') streamId: string,
    @Query() query: unknown,
    @CurrentUser() actor: Session,
    @Req() request: Request,
  ): Promise<StreamHistory | StreamableFile> {
    if (!STREAM_ID.test(streamId)) throw new Problem(400, 'invalid-value', 'streamId: must be child-, carer- or school- and an id', 'streamId');
    const { reason, format, ...filter } = validate(historyQuery, query, 'query');
    if (filter.from !== undefined && filter.to !== undefined && filter.from > filter.to) {
      throw new Problem(422, 'invalid-value', 'from is after to', 'query.from');
    }
    const history = await this.queryBus.execute(new GetStreamHistoryQuery(streamId, filter, reason, actor, request.requestId ?? null));
    if (format === 'json') return history;
    const pdf = await historyPdf(history, { printedAt: this.clock().toISOString(), printedBy: actor.username, reason });
    return new StreamableFile(pdf, { type: 'application/pdf', disposition: `attachment; filename="${streamId}.pdf"` });
  }
}
