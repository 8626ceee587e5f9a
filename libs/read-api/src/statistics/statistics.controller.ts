import { applyDecorators, Controller, Get, Inject, Query, StreamableFile } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { SchemaObject } from '@nestjs/swagger';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CALENDAR_DATE, countyDateOf, INDICATOR_KEYS, INSTANT_WITH_OFFSET } from '@lbc/domain';
import type { Scope } from '@lbc/read-models';
import type { Session } from '@lbc/http';
import { CLOCK, CurrentUser, Problem, validate } from '@lbc/http';
import { toCsv } from '../export/csv';
import type { Sheet } from '../export/sheet';
import { toXlsx } from '../export/xlsx';
import { ApiReadProblems } from '../openapi/problem-responses';
import { BREAKDOWN_SCOPE_KINDS, SCOPE_KINDS, scopePattern } from '../query-params';
import { STATISTICS_SETTINGS } from '../read-api.tokens';
import type { StatisticsSettings } from './county-statistics';
import { GetStatisticsBreakdownQuery } from './get-statistics-breakdown.query';
import { GetStatisticsSeriesQuery } from './get-statistics-series.query';
import { GetStatisticsQuery } from './get-statistics.query';
import type { Format } from './statistics-params';
import { BREAKDOWN_BY, breakdownQuery, DEFAULT_MONTHS, FORMATS, MAX_MONTHS, periodOf, seriesPeriodsOf, seriesQuery, statisticsQuery } from './statistics-params';
import type { StatisticsBreakdownResult, StatisticsResult, StatisticsSeriesResult } from './statistics-results';
import { BREAKDOWN_SCHEMA, SERIES_SCHEMA, STATISTICS_SCHEMA } from './statistics.schemas';
import { breakdownSheet, seriesSheet, statisticsSheet } from './statistics-sheets';

const CSV = 'text/csv';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const MEDIA_TYPE: Readonly<Record<Exclude<Format, 'json'>, string>> = { csv: `${CSV}; charset=utf-8`, xlsx: XLSX };

const WHO =
  'County roles (county_education, county_youth_league): their own county, small cells suppressed — one pattern per county, indicator and period for every view. ' +
  'Auditors: their own county, exact. School roles: their own school, exact. platform_admin: everything, exact.';

/** The query parameters every statistics endpoint takes, `scope` of one of `kinds`. */
function ApiPeriodQueries(kinds: readonly Scope['kind'][] = SCOPE_KINDS) {
  return applyDecorators(
    ApiQuery({ name: 'scope', required: true, schema: { type: 'string', pattern: scopePattern(kinds).source, example: 'county:wangcang' } }),
    ApiQuery({ name: 'asOf', required: false, schema: { type: 'string', format: 'date', pattern: CALENDAR_DATE.source }, description: 'County-local date, figures as of its end; default today' }),
    ApiQuery({ name: 'from', required: false, schema: { type: 'string', format: 'date', pattern: CALENDAR_DATE.source }, description: 'Start of the period indicators; default the start of the school year containing asOf; not after asOf' }),
    ApiQuery({ name: 'recordedBy', required: false, schema: { type: 'string', format: 'date-time', pattern: INSTANT_WITH_OFFSET.source }, description: 'Leave out everything recorded after this instant' }),
    ApiQuery({ name: 'format', required: false, schema: { type: 'string', enum: [...FORMATS], default: 'json' }, description: 'CSV: UTF-8 with BOM; both files open with a header block' }),
  );
}

/** 200 in the three formats: JSON with `schema`, CSV and XLSX files. */
function ApiStatisticsOk(schema: SchemaObject, description: string) {
  return ApiOkResponse({
    description,
    content: {
      'application/json': { schema },
      [CSV]: { schema: { type: 'string' } },
      [XLSX]: { schema: { type: 'string', format: 'binary' } },
    },
  });
}

const PROBLEMS = {
  badRequest: 'A query parameter is malformed, unknown (code unknown-field) or missing; `field` names it',
  forbidden: 'A scope outside the caller’s county or school (code forbidden)',
  notFound: 'No such county, township or school in the read models (code unknown-scope)',
};
const FROM_AFTER_AS_OF = 'from after asOf (code invalid-value, field query.from)';

@ApiTags('statistics')
@ApiProduces('application/json', CSV, XLSX)
@Controller('api/v1/stats')
export class StatisticsController {
  constructor(
    private readonly queryBus: QueryBus,
    @Inject(CLOCK) private readonly clock: () => Date,
    @Inject(STATISTICS_SETTINGS) private readonly settings: StatisticsSettings,
  ) {}

  @Get()
  @ApiOperation({ operationId: 'getStatistics', summary: 'Every indicator of INDICATORS.md for a county, township or school as of a date', description: WHO })
  @ApiPeriodQueries()
  @ApiStatisticsOk(STATISTICS_SCHEMA, 'The indicators; as a file, one row per figure')
  @ApiReadProblems({ ...PROBLEMS, unprocessable: FROM_AFTER_AS_OF })
  async statistics(@Query() query: unknown, @CurrentUser() actor: Session): Promise<StatisticsResult | StreamableFile> {
    const { scope, format, ...params } = validate(statisticsQuery, query, 'query');
    const result = await this.queryBus.execute(new GetStatisticsQuery(scope, periodOf(params, this.today()), actor));
    return this.answer(format, result, () => statisticsSheet(result, this.settings.k));
  }

  @Get('series')
  @ApiOperation({ operationId: 'getStatisticsSeries', summary: 'One indicator at each month-end before asOf and at asOf', description: WHO })
  @ApiPeriodQueries()
  @ApiQuery({ name: 'indicator', required: true, schema: { type: 'string', enum: [...INDICATOR_KEYS] } })
  @ApiQuery({ name: 'months', required: false, schema: { type: 'integer', minimum: 1, maximum: MAX_MONTHS, default: DEFAULT_MONTHS }, description: 'Points, the last at asOf' })
  @ApiStatisticsOk(SERIES_SCHEMA, 'The points, oldest first; each point’s `from` is the given one, or the start of its own school year')
  @ApiReadProblems({ ...PROBLEMS, unprocessable: 'from after the first point, the last month-end of months before asOf (code invalid-value, field query.from)' })
  async series(@Query() query: unknown, @CurrentUser() actor: Session): Promise<StatisticsSeriesResult | StreamableFile> {
    const { scope, format, indicator, ...params } = validate(seriesQuery, query, 'query');
    const result = await this.queryBus.execute(new GetStatisticsSeriesQuery(scope, indicator, seriesPeriodsOf(params, this.today()), actor));
    return this.answer(format, result, () => seriesSheet(result, this.settings.k));
  }

  @Get('breakdown')
  @ApiOperation({ operationId: 'getStatisticsBreakdown', summary: 'One indicator for every township or school of a county or township, and the scope’s own total', description: WHO })
  @ApiPeriodQueries(BREAKDOWN_SCOPE_KINDS)
  @ApiQuery({ name: 'by', required: true, schema: { type: 'string', enum: [...BREAKDOWN_BY] }, description: 'township: a county scope only' })
  @ApiQuery({ name: 'indicator', required: true, schema: { type: 'string', enum: [...INDICATOR_KEYS] } })
  @ApiStatisticsOk(BREAKDOWN_SCHEMA, 'A row per unit (zeros too), then the total')
  @ApiReadProblems({ ...PROBLEMS, unprocessable: `by=township of a township scope (field query.by), or ${FROM_AFTER_AS_OF}` })
  async breakdown(@Query() query: unknown, @CurrentUser() actor: Session): Promise<StatisticsBreakdownResult | StreamableFile> {
    const { scope, format, indicator, by, ...params } = validate(breakdownQuery, query, 'query');
    if (scope.kind === 'township' && by === 'township') throw new Problem(422, 'invalid-value', 'query.by: a township breaks down by school', 'query.by');
    const result = await this.queryBus.execute(new GetStatisticsBreakdownQuery(scope, by, indicator, periodOf(params, this.today()), actor));
    return this.answer(format, result, () => breakdownSheet(result, this.settings.k));
  }

  private today(): string {
    return countyDateOf(this.clock().getTime());
  }

  private async answer<T>(format: Format, result: T, sheet: () => Sheet): Promise<T | StreamableFile> {
    if (format === 'json') return result;
    const made = sheet();
    const body = format === 'csv' ? toCsv(made) : await toXlsx(made);
    return new StreamableFile(body, { type: MEDIA_TYPE[format], disposition: `attachment; filename="${made.fileName}.${format}"`, length: body.length });
  }
}
