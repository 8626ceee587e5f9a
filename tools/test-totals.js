// Sums the "Tests:" lines that each Jest run printed into one closing line
// ("tests: N passed, N failed, N skipped") for CI, which reads that line, not Jest's.
const { readFileSync } = require('node:fs');

const log = readFileSync(process.argv[2], 'utf8').replace(/\x1b\[[0-9;]*m/g, '');
const totals = { passed: 0, failed: 0, skipped: 0 };
for (const line of log.split('\n')) {
  if (!line.startsWith('Tests:')) continue;
  for (const [, count, kind] of line.matchAll(/(\d+) (passed|failed|skipped)/g)) totals[kind] += Number(count);
}
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
