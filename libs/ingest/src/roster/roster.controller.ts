import { Controller, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Session } from '@lbc/http';
import { CurrentUser, LOGGER, Problem, problemOf, Roles, validate } from '@lbc/http';
import type { RosterProgress } from './roster-importer';
import { RosterImporter } from './roster-importer';

const rosterQuery = z.strictObject({ dryRun: z.enum(['true', 'false']).optional() });

@ApiTags('roster')
@Controller('api/v1/schools/:schoolId/roster')
export class RosterController {
  constructor(
    private readonly importer: RosterImporter,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Post()
  @Roles('school_staff', 'school_admin', 'platform_admin')
  @ApiOperation({
    summary: 'Import a class roster (花名册): CSV or XLSX with Chinese headers, one ChildRegistered per row',
    description:
      'The file is the request body (text/csv, or the XLSX content type). ?dryRun=true answers a JSON report with per-row errors ' +
      '(row, column header, code) and writes nothing (no events, no keys). The real run checks every row the same way first: any error answers 422 with the errors ' +
      'and writes nothing; otherwise it streams NDJSON progress lines ({"phase":"progress",…} per 250 rows, then {"phase":"done",…}, or ' +
      '{"phase":"failed","problem":…} should writing fail midway; a resend completes it). At most ROSTER_MAX_ROWS data rows and, for XLSX, ' +
      'ROSTER_MAX_UNCOMPRESSED_BYTES unpacked (413 naming the limit). ' +
      'Ids derive from the school and 学籍号 (else name, birth month, grade, class): re-importing a file writes nothing new (rows count as existing).',
  })
  @ApiParam({ name: 'schoolId' })
  @ApiQuery({ name: 'dryRun', required: false, enum: ['true', 'false'] })
  @ApiConsumes('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiBody({ required: true, schema: { type: 'string', format: 'binary' }, description: 'The roster file; one without a roster in it (empty, no header row, no sheet) is 422 empty-roster' })
  @ApiOkResponse({ description: 'Dry run: { rows, registered, existing, errors[] }. Real run: NDJSON progress' })
  @ApiResponse({ status: 413, description: 'Body above INGEST_MAX_BODY_BYTES, more rows than ROSTER_MAX_ROWS, or an XLSX unpacking to more than ROSTER_MAX_UNCOMPRESSED_BYTES (problem with `limit` and `setting`)' })
  @ApiResponse({ status: 422, description: 'Some rows have errors (problem with `errors`), or the file holds no roster (code empty-roster); nothing written' })
  @ApiResponse({ status: 503, description: 'The server is shutting down; send the roster again' })
  async import(
    @Param('schoolId') schoolId: string,
    @Query() query: unknown,
    @Req() request: Request,
    @Res() response: Response,
    @CurrentUser() actor: Session,
  ): Promise<void> {
    const { dryRun } = validate(rosterQuery, query, 'query');
    if (actor.role !== 'platform_admin' && actor.schoolId !== schoolId) {
      throw new Problem(403, 'forbidden', `${actor.role} imports rosters of its own school only`, 'schoolId');
    }
    const bytes = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const { report, fresh } = await this.importer.check(schoolId, bytes, actor, request.requestId);
    if (dryRun === 'true') {
      response.status(200).json({ dryRun: true, ...report });
      return;
    }
    if (report.errors.length > 0) {
      const [first] = report.errors;
      throw new Problem(422, 'roster-rejected', `${report.errors.length} errors in the roster (first: row ${first.row}, ${first.column}: ${first.message}); nothing written`, undefined, { ...report });
    }
    response.status(200).type('application/x-ndjson');
    let last: RosterProgress = { ...report, phase: 'progress', done: 0, registered: 0 };
    try {
      for await (const progress of this.importer.write(fresh, report, actor, request.requestId)) {
        last = progress;
        response.write(`${JSON.stringify(progress)}\n`);
      }
    } catch (error) {
      // The 200 is sent: the failure closes the stream as its last line rather than cutting the connection.
      response.write(`${JSON.stringify({ ...last, phase: 'failed', problem: problemOf(error, request.requestId, this.logger) })}\n`);
    }
    response.end();
  }
}
