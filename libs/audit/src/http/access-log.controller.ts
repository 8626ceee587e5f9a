import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ID_PATTERN } from '@lbc/domain';
import type { Session } from '@lbc/http';
import { CurrentUser, Roles, objectSchema, validate } from '@lbc/http';
import { ApiReadProblems } from '@lbc/read-api';
import { AUDIT_ROLES, COUNT_PATTERN, MAX_LIMIT, STREAM_ID, count, limitParam } from './audit-params';
import type { AccessLogPage } from './list-access-log.query';
import { ListAccessLogQuery } from './list-access-log.query';
import { INTEGER, NULLABLE_STRING, STRING } from './openapi-types';

const accessLogQuery = z.strictObject({
  subject: z.string().regex(STREAM_ID, 'must be a stream id (child-…, carer-…, school-…)').optional(),
  userId: z.string().regex(ID_PATTERN, 'must be an id').optional(),
  limit: limitParam,
  cursor: count().optional(),
});

// Who read (and in which county), what, why, and the entry's place in the chain.
const ENTRY_SCHEMA = objectSchema({
  seq: INTEGER, at: { type: 'string', format: 'date-time' }, userId: STRING, role: STRING, countyId: NULLABLE_STRING,
  subject: STRING, fields: { type: 'array', items: STRING }, reason: STRING, requestId: NULLABLE_STRING,
  prevHash: STRING, hash: STRING,
});

@ApiTags('audit')
@Controller('api/v1/audit/access-log')
export class AccessLogController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @Roles(...AUDIT_ROLES)
  @ApiOperation({
    operationId: 'listAccessLog',
    summary: 'Every read of personal data (who, when, which subject and fields, why), newest first; hash-chained and append-only',
    description: 'Auditors: the reads of their county’s subjects; platform_admin: all.',
  })
  @ApiQuery({ name: 'subject', required: false, schema: { type: 'string', pattern: STREAM_ID.source } })
  @ApiQuery({ name: 'userId', required: false, schema: { type: 'string', pattern: ID_PATTERN.source } })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: 50 } })
  @ApiQuery({ name: 'cursor', required: false, schema: { type: 'string', pattern: COUNT_PATTERN }, description: 'nextCursor of the previous page' })
  @ApiOkResponse({
    description: 'A page of entries',
    schema: objectSchema({ entries: { type: 'array', items: ENTRY_SCHEMA }, nextCursor: NULLABLE_STRING }),
  })
  @ApiReadProblems({
    badRequest: 'A malformed or unknown parameter (`field` names it)',
    forbidden: 'Any role but auditor and platform_admin (code forbidden)',
    notFound: 'Never: an empty page instead',
  })
  list(@Query() query: unknown, @CurrentUser() actor: Session): Promise<AccessLogPage> {
    const { cursor, ...filter } = validate(accessLogQuery, query, 'query');
    return this.queryBus.execute(new ListAccessLogQuery({ ...filter, before: cursor }, actor));
  }
}
