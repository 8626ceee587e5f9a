import { applyDecorators, Controller, Get, Param, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CALENDAR_DATE, CHILD_CATEGORIES, RISK_FLAGS } from '@lbc/domain';
import { parseChildCursor, parseIdCursor } from '@lbc/read-models';
import type { Session } from '@lbc/http';
import { CurrentUser, Roles, validate } from '@lbc/http';
import { ApiReadProblems } from '../openapi/problem-responses';
import { dateParam, wholeNumber } from '../query-params';
import { GetSchoolWorklistQuery } from './get-school-worklist.query';
import { ListSchoolChildrenQuery } from './list-school-children.query';
import { ListSchoolRegisterQuery } from './list-school-register.query';
import { SchoolCareHomesPage, SchoolCarersPage, SchoolChildrenPage, SchoolWorklistPage } from './school-lists.dto';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;

/** `limit` and `cursor`, the cursor read by the list's own `parse`. */
const pageOf = <K>(parse: (text: string) => K | null) => ({
  limit: wholeNumber(1, MAX_LIMIT).default(DEFAULT_LIMIT),
  cursor: z
    .string()
    .transform((text, context) => parse(text) ?? (context.addIssue({ code: 'custom', message: 'is not a cursor this list handed out' }), z.NEVER))
    .optional(),
});
const page = pageOf(parseChildCursor);
const registerQuery = z.strictObject(pageOf(parseIdCursor));

const childrenQuery = z.strictObject({
  ...page,
  grade: wholeNumber(1, 12).optional(),
  className: z.string().min(1).max(100).optional(),
  category: z.enum(CHILD_CATEGORIES).optional(),
  risk: z.enum([...RISK_FLAGS, 'any']).optional(),
});

const worklistQuery = z.strictObject({
  ...page,
  asOf: dateParam.optional(),
});

const WHO =
  'School roles of that school (with names), platform_admin (with names), auditors of the county (no names: personal data). ' +
  'County roles are refused (403): a list of children is not an aggregate.';

const CARERS_WHO =
  'School roles of that school (with names), platform_admin (with names), auditors of the county (no names: personal data). ' +
  'County roles are refused (403): carers are counted for them in the statistics.';

const PROBLEMS = {
  badRequest: 'A query parameter is malformed or unknown (`field` names it)',
  forbidden: "Another school's lists, or a county role (code forbidden)",
  notFound: 'No such school, or one outside the auditor’s county (code unknown-school)',
};

/** What every list of a school has: its path, who may read it, its page and its problems. */
const SchoolList = (path: string, type: new () => unknown) =>
  applyDecorators(
    Get(path),
    Roles('school_staff', 'school_admin', 'platform_admin', 'auditor'),
    ApiParam({ name: 'schoolId' }),
    ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT } }),
    ApiQuery({ name: 'cursor', required: false, description: '`nextCursor` of the previous page' }),
    ApiOkResponse({ type }),
    ApiReadProblems(PROBLEMS),
  );

@ApiTags('schools')
@Controller('api/v1/schools/:schoolId')
export class SchoolListsController {
  constructor(private readonly queryBus: QueryBus) {}

  @SchoolList('children', SchoolChildrenPage)
  @ApiOperation({ operationId: 'listSchoolChildren', summary: 'The children in care at the school today, in grade, class order; filters combine', description: WHO })
  @ApiQuery({ name: 'grade', required: false, schema: { type: 'integer', minimum: 1, maximum: 12 } })
  @ApiQuery({ name: 'className', required: false, schema: { type: 'string', minLength: 1, maxLength: 100 } })
  @ApiQuery({ name: 'category', required: false, enum: CHILD_CATEGORIES })
  @ApiQuery({ name: 'risk', required: false, enum: [...RISK_FLAGS, 'any'], description: 'A risk flag open on the child, or any open flag' })
  children(@Param('schoolId') schoolId: string, @Query() query: unknown, @CurrentUser() actor: Session, @Req() request: Request): Promise<SchoolChildrenPage> {
    const { limit, cursor, ...filter } = validate(childrenQuery, query, 'query');
    return this.queryBus.execute(new ListSchoolChildrenQuery(schoolId, filter, limit, cursor ?? null, actor, request.requestId ?? null));
  }

  @SchoolList('worklist', SchoolWorklistPage)
  @ApiOperation({
    operationId: 'getSchoolWorklist',
    summary: 'What the school owes its children as of a date: children in care without an active pairing, care duties (五个一) overdue, incidents a party has not been told of',
    description: WHO,
  })
  @ApiQuery({ name: 'asOf', required: false, schema: { type: 'string', pattern: CALENDAR_DATE.source }, description: 'County-local date from 1900 on; default today' })
  worklist(@Param('schoolId') schoolId: string, @Query() query: unknown, @CurrentUser() actor: Session, @Req() request: Request): Promise<SchoolWorklistPage> {
    const { limit, cursor, asOf } = validate(worklistQuery, query, 'query');
    return this.queryBus.execute(new GetSchoolWorklistQuery(schoolId, asOf ?? null, limit, cursor ?? null, actor, request.requestId ?? null));
  }

  @SchoolList('carers', SchoolCarersPage)
  @ApiOperation({ operationId: 'listSchoolCarers', summary: 'The carers registered with the school and not retired, with the children each is paired with today', description: CARERS_WHO })
  carers(@Param('schoolId') schoolId: string, @Query() query: unknown, @CurrentUser() actor: Session, @Req() request: Request): Promise<SchoolCarersPage> {
    const { limit, cursor } = validate(registerQuery, query, 'query');
    return this.queryBus.execute(new ListSchoolRegisterQuery('carers', schoolId, limit, cursor ?? null, actor, request.requestId ?? null)) as Promise<SchoolCarersPage>;
  }

  @SchoolList('care-homes', SchoolCareHomesPage)
  @ApiOperation({ operationId: 'listSchoolCareHomes', summary: 'The care homes (留守儿童之家) the school opened, with their facilities', description: 'School roles of that school, platform_admin, auditors of the county. County roles are refused (403).' })
  careHomes(@Param('schoolId') schoolId: string, @Query() query: unknown, @CurrentUser() actor: Session, @Req() request: Request): Promise<SchoolCareHomesPage> {
    const { limit, cursor } = validate(registerQuery, query, 'query');
    return this.queryBus.execute(new ListSchoolRegisterQuery('care-homes', schoolId, limit, cursor ?? null, actor, request.requestId ?? null)) as Promise<SchoolCareHomesPage>;
  }
}
