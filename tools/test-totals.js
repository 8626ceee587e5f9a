// Sums the "Tests:" lines that each Jest run printed into one closing line
// ("tests: N passed, N failed, N skipped (what was skipped, and why)") for CI, which reads that
// line, not Jest's; the skipped suites come from tools/skipped-reporter.js. Above it go
// the failures' headlines: CI keeps only the end of a long log, where Jest's own reports of
// failures, printed minutes earlier among other projects' output, are cut off.
const { readFileSync } = require('node:fs');

const FAILURE_LINES = 8;
const MAX_FAILURES = 20;

const lines = readFileSync(process.argv[2], 'utf8').replace(/\x1b\[[0-9;]*m/g, '').split('\n');
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = new Set();
const skippedSuites = new Set();
const endsDetail = (line) => /^\s*● /.test(line) || /^(Tests:|Test Suites:|Summary of all failing tests|\s*(PASS|FAIL) )/.test(line);
for (const [i, line] of lines.entries()) {
  if (line.startsWith('Tests:')) {
    for (const [, count, kind] of line.matchAll(/(\d+) (passed|failed|skipped)/g)) totals[kind] += Number(count);
  }
  const skippedSuite = /^skipped: (.+)$/.exec(line)?.[1];
  if (skippedSuite) skippedSuites.add(skippedSuite);
  const headline = /^\s*● (.+)$/.exec(line)?.[1].trim();
  if (!headline || headline === 'Console') continue;
  const detail = [];
  for (let j = i + 1; j < lines.length && detail.length < FAILURE_LINES && !endsDetail(lines[j]); j++) {
    if (lines[j].trim()) detail.push(`    ${lines[j].trim()}`);
  }
  const failure = [`failed: ${headline}`, ...detail].join('\n');
  // Jest repeats every failure in its closing summary: one entry each.
  failures.add(failure);
}
for (const failure of [...failures.values()].slice(0, MAX_FAILURES)) console.log(failure);
if (failures.size > MAX_FAILURES) console.log(`… and ${failures.size - MAX_FAILURES} more failures`);
const named = skippedSuites.size > 0 ? ` (${[...skippedSuites].join('; ')})` : '';
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped${named}`);
