// A synthetic county as NDJSON on stdout (INTERCHANGE.md batches), e.g.
//   node -r ./tools/register.js test/bench/generate-county.ts --children 50000 --months 12 > county.ndjson
// With --recorded, each line is { event, recordedAt, recordedBy } instead of the submitted event alone.
import { once } from 'node:events';
import { countyOptionsOf, generateCounty, ndjsonLines } from '@lbc/county-generator';
import type { GeneratedEvent } from '@lbc/county-generator';
import { countyDateOf } from '@lbc/domain';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const recorded = args.includes('--recorded');
  const options = countyOptionsOf(
    args.filter((arg) => arg !== '--recorded'),
    countyDateOf(Date.now() - 86_400_000),
  );
  const county = generateCounty(options);
  const lines = recorded ? (function* (events: Iterable<GeneratedEvent>) { for (const e of events) yield `${JSON.stringify(e)}\n`; })(county) : ndjsonLines(county);
  for (const line of lines) if (!process.stdout.write(line)) await once(process.stdout, 'drain');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
