import type { ChildrenInCare } from '@lbc/read-models';
import { childrenInCare, formatScope, parseScope } from '@lbc/read-models';
import { CALENDAR_DATE, ID_PATTERN, INSTANT_WITH_OFFSET } from '@lbc/domain';
import { Controller, Get, HttpException, Inject, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { READ_MODELS, READ_MODELS_CLOCK } from './read-models.tokens';

const SCOPE = new RegExp(`^(?:county|township|school):${ID_PATTERN.source.slice(1)}`);

const childrenInCareQuery = z.strictObject({
  scope: z
    .string()
    .regex(SCOPE, 'must be county:ID, township:ID or school:ID')
    .transform((text, context) => parseScope(text) ?? (context.addIssue({ code: 'custom', message: 'must be county:ID, township:ID or school:ID' }), z.NEVER)),
  asOf: z.string().regex(CALENDAR_DATE, 'must be a date YYYY-MM-DD from 1900 on').optional(),
  recordedBy: z.string().regex(INSTANT_WITH_OFFSET, 'must be an ISO-8601 timestamp with offset').optional(),
});

export interface ChildrenInCareResponse extends ChildrenInCare {
  readonly scope: string;
  readonly asOf: string;
  readonly recordedBy: string | null;
}

/** County-local (Asia/Shanghai) calendar date of an instant. */
function countyDate(instant: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

/** Read-only: the first read-model figure, served end to end (the dashboard API comes later). */
@Controller('api/v1/read-models')
export class ChildrenInCareController {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: DataSource,
    @Inject(READ_MODELS_CLOCK) private readonly clock: () => Date,
  ) {}

  @Get('children-in-care')
  @ApiTags('read-models')
  @ApiOperation({ summary: 'Children in care in a county, township or school as of a date (counts, no personal data)' })
  @ApiQuery({ name: 'scope', required: true, schema: { type: 'string', pattern: SCOPE.source } })
  @ApiQuery({ name: 'asOf', required: false, schema: { type: 'string', pattern: CALENDAR_DATE.source }, description: 'County-local date; default today' })
  @ApiQuery({ name: 'recordedBy', required: false, schema: { type: 'string', pattern: INSTANT_WITH_OFFSET.source }, description: 'Only what was recorded by this instant' })
  @ApiOkResponse({ description: 'The figures with the scope, asOf and recordedBy they answer' })
  @ApiBadRequestResponse({ description: 'A query parameter is malformed (`field` names it)' })
  async childrenInCare(@Query() query: Record<string, unknown>): Promise<ChildrenInCareResponse> {
    const parsed = childrenInCareQuery.safeParse(query);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = String(issue.code === 'unrecognized_keys' ? issue.keys[0] : (issue.path[0] ?? 'query'));
      const detail = issue.code === 'unrecognized_keys' ? 'unknown query parameter' : issue.input === undefined ? 'required' : issue.message;
      throw new HttpException(
        { type: 'urn:lbc:problem:invalid-query', title: 'Bad Request', status: 400, detail: `${field}: ${detail}`, code: 'invalid-query', field },
        400,
      );
    }
    const { scope, recordedBy = null } = parsed.data;
    const asOf = parsed.data.asOf ?? countyDate(this.clock());
    const figures = await childrenInCare(this.readModels.manager, { scope, asOf, recordedBy });
    return { scope: formatScope(scope), asOf, recordedBy, ...figures };
  }
}
