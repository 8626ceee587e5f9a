import { QueryBus, QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import { Problem, validate } from '@lbc/http';
import { z } from 'zod';
import { dateParam, scopeParam } from '../query-params';
import { GetStatisticsQuery } from '../statistics/get-statistics.query';
import { CheckReportQuery } from './check-report.query';
import type { ReportCheck } from './report-comparison';
import { compareReport } from './report-comparison';

const reportHeader = z.strictObject({ scope: scopeParam, asOf: dateParam, from: dateParam });

@QueryHandler(CheckReportQuery)
export class CheckReportHandler implements IQueryHandler<CheckReportQuery> {
  constructor(private readonly queryBus: QueryBus) {}

  async execute({ report, submittedAt, actor }: CheckReportQuery): Promise<ReportCheck> {
    const { scope, asOf, from } = validate(reportHeader, { scope: report.scope, asOf: report.asOf, from: report.from }, 'body');
    if (from > asOf) throw new Problem(422, 'invalid-value', 'body.from: the report’s from is after its asOf', 'body.from');
    // The same figures the bureau was shown, exact: the access rules of GET /stats decide the scope.
    const then = await this.queryBus.execute(new GetStatisticsQuery(scope, { asOf, from, recordedBy: submittedAt }, actor));
    const now = await this.queryBus.execute(new GetStatisticsQuery(scope, { asOf, from, recordedBy: null }, actor));
    return compareReport(report, submittedAt, then, now);
  }
}
