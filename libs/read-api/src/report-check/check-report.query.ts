import { Query } from '@nestjs/cqrs';
import type { Session } from '@lbc/http';
import type { ReportCheck } from './report-comparison';
import type { SubmittedReport } from './submitted-report';

/** A submitted report's figures recomputed as the record stood at submission, and today. */
export class CheckReportQuery extends Query<ReportCheck> {
  constructor(
    readonly report: SubmittedReport,
    readonly submittedAt: string,
    readonly actor: Session,
  ) {
    super();
  }
}
