import { Controller, Get, Inject, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CALENDAR_DATE, countyDateOf, INSTANT_WITH_OFFSET } from '@lbc/domain';
import type { Session } from '@lbc/http';
import { CLOCK, CurrentUser, validate } from '@lbc/http';
import { ApiReadProblems } from '../openapi/problem-responses';
import { dateParam, recordedByParam, SCOPE_KINDS, scopeParam, scopePattern } from '../query-params';
import { CHILDREN_IN_CARE_SCHEMA } from '../statistics/statistics.schemas';
import type { ChildrenInCareResult } from './get-children-in-care.query';
import { GetChildrenInCareQuery } from './get-children-in-care.query';

const childrenInCareQuery = z.strictObject({ scope: scopeParam, asOf: dateParam.optional(), recordedBy: recordedByParam.optional() });

/** The first read-model figure, kept for its callers; `GET /api/v1/stats` carries it with every other. */
@ApiTags('statistics')
@Controller('api/v1/read-models')
export class ChildrenInCareController {
  constructor(
    private readonly queryBus: QueryBus,
    @Inject(CLOCK) private readonly clock: () => Date,
  ) {}

  @Get('children-in-care')
  @ApiOperation({
    operationId: 'getChildrenInCare',
    summary: 'Children in care and left-behind children of a scope as of a date',
    description: 'Who may read what, and suppression for county roles, as GET /api/v1/stats.',
  })
  @ApiQuery({ name: 'scope', required: true, schema: { type: 'string', pattern: scopePattern(SCOPE_KINDS).source } })
  @ApiQuery({ name: 'asOf', required: false, schema: { type: 'string', format: 'date', pattern: CALENDAR_DATE.source }, description: 'County-local date; default today' })
  @ApiQuery({ name: 'recordedBy', required: false, schema: { type: 'string', format: 'date-time', pattern: INSTANT_WITH_OFFSET.source } })
  @ApiOkResponse({ content: { 'application/json': { schema: CHILDREN_IN_CARE_SCHEMA } } })
  @ApiReadProblems({
    badRequest: 'A query parameter is malformed or unknown (`field` names it)',
    forbidden: 'A scope outside the caller’s county or school (code forbidden)',
    notFound: 'No such county, township or school (code unknown-scope)',
  })
  childrenInCare(@Query() query: unknown, @CurrentUser() actor: Session): Promise<ChildrenInCareResult> {
    const { scope, asOf, recordedBy } = validate(childrenInCareQuery, query, 'query');
    return this.queryBus.execute(new GetChildrenInCareQuery(scope, asOf ?? countyDateOf(this.clock().getTime()), recordedBy ?? null, actor));
  }
}
