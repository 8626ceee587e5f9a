import type { SheetCell } from '../export/sheet';
import { leavesOf } from '../export/sheet';
import type { StatisticsResult } from '../statistics/statistics-results';
import type { SubmittedReport } from './submitted-report';

/**
 * - `as-recorded`: the report gives what the record held when it was submitted, and still holds;
 * - `recorded-later`: it gave what the record held then; events recorded since changed the figure
 *   (a late record, not a wrong report);
 * - `differs`: the record never held the reported value at submission: a wrong report;
 * - `suppressed`: the report shows `*`, nothing to compare;
 * - `unknown-figure`: no such figure in INDICATORS.md.
 */
export type Verdict = 'as-recorded' | 'recorded-later' | 'differs' | 'suppressed' | 'unknown-figure';

export interface FigureCheck {
  readonly figure: string;
  readonly reported: SheetCell;
  /** As the record stood at `submittedAt` (recordedBy = submittedAt). */
  readonly atSubmission: SheetCell;
  readonly today: SheetCell;
  readonly verdict: Verdict;
}

export interface ReportCheck {
  readonly scope: string;
  readonly asOf: string;
  readonly from: string;
  readonly submittedAt: string;
  readonly dataAsOf: string | null;
  readonly figures: FigureCheck[];
  readonly summary: Readonly<Record<Verdict, number>>;
}

// Shares travel rounded in exports; a report re-typed by hand keeps at most four decimals.
const same = (a: SheetCell, b: SheetCell) =>
  a === b || (typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) < 5e-5) || (a === null && b === '') || (a === '' && b === null);

const figuresOf = (result: StatisticsResult) => new Map(Object.entries(result.indicators).flatMap(([key, value]) => leavesOf(value, key)));

/** Each reported figure beside the record at submission and today. */
export function compareReport(report: SubmittedReport, submittedAt: string, then: StatisticsResult, now: StatisticsResult): ReportCheck {
  const atSubmission = figuresOf(then);
  const today = figuresOf(now);
  const figures = [...report.figures].map(([figure, reported]): FigureCheck => {
    const known = atSubmission.has(figure);
    const before = known ? (atSubmission.get(figure) as SheetCell) : null;
    const after = known ? (today.get(figure) as SheetCell) : null;
    const verdict: Verdict = !known
      ? 'unknown-figure'
      : reported === '*'
        ? 'suppressed'
        : !same(reported, before)
          ? 'differs'
          : same(before, after)
            ? 'as-recorded'
            : 'recorded-later';
    return { figure, reported, atSubmission: before, today: after, verdict };
  });
  const summary = { 'as-recorded': 0, 'recorded-later': 0, differs: 0, suppressed: 0, 'unknown-figure': 0 };
  for (const check of figures) summary[check.verdict] += 1;
  return { scope: report.scope, asOf: report.asOf, from: report.from, submittedAt, dataAsOf: now.dataAsOf, figures, summary };
}
