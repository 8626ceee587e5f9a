import type { BenchRow, Target } from './bench';

/** The machine a run measured on. */
export interface Machine {
  readonly cores: number;
  readonly cpu: string;
  readonly memoryGiB: number;
  readonly node: string;
  readonly postgres: string;
  readonly kafka: string;
  readonly loadAverage: number;
}

export type Verdict = 'pass' | 'fail' | '—';

/** A row as the table shows it: its ratio (when it has a reference) and whether it meets its target. */
export interface ResultRow extends BenchRow {
  readonly ratio?: number;
  readonly verdict: Verdict;
}

export interface BenchResults {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly benches: readonly string[];
  readonly machine: Machine;
  readonly rows: readonly ResultRow[];
}

/** A bench that threw: a failed row of its own, so that the table shows what was not measured. */
export function failedBench(bench: string, error: unknown): BenchRow {
  const reason = error instanceof Error ? error.message : String(error);
  return { bench, case: 'run', value: Number.NaN, unit: '', target: { atLeast: 0 }, note: `failed: ${reason.split('\n')[0]}` };
}

export function judge(row: BenchRow): ResultRow {
  const ratio = row.reference ? row.value / row.reference.value : undefined;
  if (!row.target) return { ...row, ratio, verdict: '—' };
  const judged = ratio ?? row.value;
  const met = 'atLeast' in row.target ? judged >= row.target.atLeast : judged <= row.target.atMost;
  return { ...row, ratio, verdict: Number.isFinite(judged) && met ? 'pass' : 'fail' };
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '—';
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(2);
}

function formatTarget(target: Target | undefined, unit: string, ofRatio: boolean): string {
  if (!target) return '';
  const [sign, bound] = 'atLeast' in target ? ['≥', target.atLeast] : ['≤', target.atMost];
  return ofRatio ? `${sign} ${formatNumber(bound)}×` : `${sign} ${formatNumber(bound)} ${unit}`.trim();
}

const HEADER = ['bench', 'figure', 'value', 'reference (same run)', 'ratio', 'target', 'result'] as const;

function cells(row: ResultRow): string[] {
  return [
    row.bench,
    row.note ? `${row.case} (${row.note})` : row.case,
    `${formatNumber(row.value)} ${row.unit}`.trim(),
    row.reference ? `${row.reference.case}: ${formatNumber(row.reference.value)} ${row.unit}` : '',
    row.ratio === undefined ? '' : `${formatNumber(row.ratio)}×`,
    formatTarget(row.target, row.unit, row.reference !== undefined),
    row.verdict,
  ];
}

export function machineLine(machine: Machine): string {
  return (
    `${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, Node ${machine.node}, ` +
    `PostgreSQL ${machine.postgres}, Kafka ${machine.kafka}, load average ${machine.loadAverage.toFixed(1)} at the start`
  );
}

/** The table for a terminal: columns padded to their widest cell (CJK-free labels, so length is width). */
export function textTable(results: BenchResults): string {
  const lines = [HEADER.slice(), ...results.rows.map(cells)];
  const widths = HEADER.map((_, column) => Math.max(...lines.map((line) => line[column].length)));
  const render = (line: readonly string[]) => line.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
  return [render(lines[0]), widths.map((width) => '-'.repeat(width)).join('  '), ...lines.slice(1).map(render)].join('\n');
}

export function markdownTable(results: BenchResults): string {
  const escape = (cell: string) => cell.replace(/\|/g, '\\|');
  const row = (line: readonly string[]) => `| ${line.map(escape).join(' | ')} |`;
  return [
    `\`npm run bench\` (${results.benches.join(', ')}), ${results.startedAt} – ${results.finishedAt}; ${machineLine(results.machine)}.`,
    '',
    row(HEADER),
    row(HEADER.map(() => '---')),
    ...results.rows.map((result) => row(cells(result))),
    '',
  ].join('\n');
}
