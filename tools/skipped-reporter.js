// A Jest reporter that names what a run skipped, and why: one line per skipped suite
// ("skipped: <suite title> (<n> tests)"), whose title carries the reason (e.g. the EventStoreDB
// conformance suite without EVENTSTORE_URL). Jest's own summary only counts skipped tests;
// tools/test-totals.js carries these lines into CI's closing line.
class SkippedReporter {
  onRunComplete(_contexts, results) {
    const skipped = new Map();
    for (const file of results.testResults) {
      for (const test of file.testResults) {
        if (test.status !== 'pending') continue;
        const suite = test.ancestorTitles[0] ?? test.title;
        skipped.set(suite, (skipped.get(suite) ?? 0) + 1);
      }
    }
    for (const [suite, count] of skipped) process.stdout.write(`skipped: ${suite} (${count} tests)\n`);
  }
}

module.exports = SkippedReporter;
