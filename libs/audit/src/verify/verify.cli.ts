import { readFileSync } from 'node:fs';
import type { VerifyOptions } from './verify-record';
import type { VerifyReport } from './verify-report';
import { verifyRecord } from './verify-record';

export interface VerifyCliIo {
  readonly output: (line: string) => void;
}

/** `npm run verify [-- --tree-head FILE …]`: the arguments, or the reason they are wrong. */
export function verifyArguments(args: readonly string[]): { treeHeadFiles: string[] } | { error: string } {
  const treeHeadFiles: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] !== '--tree-head') return { error: `unknown argument ${args[i]}: use --tree-head FILE (repeatable)` };
    const file = args[++i];
    if (file === undefined) return { error: '--tree-head needs a file: a tree head exported from the platform' };
    treeHeadFiles.push(file);
  }
  return { treeHeadFiles };
}

export function describeReport(report: VerifyReport): string[] {
  const lines = [
    `checked ${report.events} events in ${report.streams} streams, ${report.treeHeads} signed tree heads, ${report.accessLogEntries} access-log entries`,
  ];
  if (report.ok) return [...lines, 'OK: every chain is intact and the store still holds what every tree head signed'];
  const [first] = report.findings;
  const where = [first.streamId && `stream ${first.streamId}`, first.revision !== undefined && `revision ${first.revision}`, first.treeHead && `tree head ${first.treeHead}`, first.seq !== undefined && `access-log entry ${first.seq}`]
    .filter(Boolean)
    .join(', ');
  return [
    ...lines,
    `BROKEN: ${report.findings.length} finding(s); the first: ${first.kind} at ${where}: ${first.detail}`,
    ...report.findings.slice(1).map((finding) => `  also ${finding.kind}: ${[finding.streamId, finding.revision, finding.treeHead, finding.seq].filter((part) => part !== undefined).join(' ')} ${finding.detail}`),
  ];
}

/** Runs the check and prints it; the exit code is 0 only when nothing is broken. */
export async function runVerify(args: readonly string[], options: Omit<VerifyOptions, 'exportedHeads'>, io: VerifyCliIo): Promise<number> {
  const parsed = verifyArguments(args);
  if ('error' in parsed) {
    io.output(parsed.error);
    return 2;
  }
  const exportedHeads = parsed.treeHeadFiles.map((file) => readFileSync(file, 'utf8'));
  const report = await verifyRecord({ ...options, exportedHeads });
  for (const line of describeReport(report)) io.output(line);
  return report.ok ? 0 : 1;
}
