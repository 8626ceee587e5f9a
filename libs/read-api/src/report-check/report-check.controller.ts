import { Controller, HttpCode, Post, Query, Req } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { z } from 'zod';
import { INSTANT_WITH_OFFSET } from '@lbc/domain';
import type { Session } from '@lbc/http';
import { CurrentUser, Roles, objectSchema, validate } from '@lbc/http';
import { ApiReadProblems } from '../openapi/problem-responses';
import { recordedByParam } from '../query-params';
import { CheckReportQuery } from './check-report.query';
import type { ReportCheck } from './report-comparison';
import { REPORT_MEDIA_TYPES, readSubmittedReport } from './submitted-report';

const checkQuery = z.strictObject({ submittedAt: recordedByParam });
const VERDICTS = ['as-recorded', 'recorded-later', 'differs', 'suppressed', 'unknown-figure'];
const CELL = { oneOf: [{ type: 'number' }, { type: 'string' }], nullable: true };

@ApiTags('statistics')
@Controller('api/v1/stats/report-checks')
export class ReportCheckController {
  constructor(private readonly queryBus: QueryBus) {}

  @Post()
  @HttpCode(200)
  @Roles('auditor', 'platform_admin')
  @ApiOperation({
    operationId: 'checkReport',
    summary: 'Checks a submitted report (a GET /stats export: JSON, CSV or XLSX) against the record as it stood when it was submitted, and today',
    description:
      'Auditors (their own county) and platform_admin. Per figure: the reported value, the value recomputed with recordedBy = submittedAt, ' +
      'today’s value, and a verdict telling a late record (recorded-later) from a wrong report (differs).',
  })
  @ApiQuery({ name: 'submittedAt', required: true, schema: { type: 'string', format: 'date-time', pattern: INSTANT_WITH_OFFSET.source } })
  @ApiConsumes(...Object.values(REPORT_MEDIA_TYPES))
  @ApiBody({ required: true, schema: { type: 'string', format: 'binary' }, description: 'The report file as GET /stats exported it' })
  @ApiOkResponse({
    description: 'The check',
    schema: objectSchema({
      scope: { type: 'string' },
      asOf: { type: 'string' },
      from: { type: 'string' },
      submittedAt: { type: 'string' },
      dataAsOf: { type: 'string', nullable: true },
      figures: {
        type: 'array',
        items: objectSchema({ figure: { type: 'string' }, reported: CELL, atSubmission: CELL, today: CELL, verdict: { type: 'string', enum: VERDICTS } }),
      },
      summary: { type: 'object', properties: Object.fromEntries(VERDICTS.map((verdict) => [verdict, { type: 'integer' }])) },
    }),
  })
  @ApiReadProblems({
    badRequest: 'No submittedAt, or a malformed header in the file (`field` names it)',
    forbidden: 'A scope outside the auditor’s county, or a role that checks no reports (code forbidden)',
    notFound: 'The report’s scope is not in the read models (code unknown-scope)',
    unprocessable: 'No file, or one that is not a GET /stats export (code unreadable-report)',
  })
  async check(@Query() query: unknown, @Req() request: Request, @CurrentUser() actor: Session): Promise<ReportCheck> {
    const { submittedAt } = validate(checkQuery, query, 'query');
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const mediaType = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const report = await readSubmittedReport(body, mediaType);
    return this.queryBus.execute(new CheckReportQuery(report, submittedAt, actor));
  }
}
