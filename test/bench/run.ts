// `npm run bench` runs every `*.bench.ts` here; `npm run bench -- <name> …` runs the named ones.
// One embedded PostgreSQL serves the whole run; results go to tmp/bench/results.json.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '@lbc/postgres';
import type { Bench, BenchContext, BenchRow } from './bench';

function loadBenches(): Bench[] {
  return readdirSync(__dirname)
    .filter((file) => file.endsWith('.bench.ts'))
    .sort()
    .map((file) => (require(join(__dirname, file)) as { bench: Bench }).bench);
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const all = loadBenches();
  const unknown = wanted.filter((name) => !all.some((bench) => bench.name === name));
  if (unknown.length > 0) throw new Error(`Unknown bench ${unknown.join(', ')}; known: ${all.map((bench) => bench.name).join(', ')}`);
  const benches = wanted.length > 0 ? all.filter((bench) => wanted.includes(bench.name)) : all;

  const dataDir = mkdtempSync(join(tmpdir(), 'lbc-bench-pg-'));
  const postgres = await startEmbeddedPostgres({ dataDir, persistent: false });
  let databases = 0;
  const context: BenchContext = {
    postgres,
    log: (message) => console.log(`  ${message}`),
    async createDatabase(label) {
      const name = `bench_${label.replace(/\W/g, '_')}_${++databases}`;
      const admin = new Client({ connectionString: postgres.url });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      return postgres.urlFor(name);
    },
  };

  const rows: BenchRow[] = [];
  try {
    for (const bench of benches) {
      console.log(`bench ${bench.name}`);
      rows.push(...(await bench.run(context)));
    }
  } finally {
    await postgres.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }

  console.table(rows.map((row) => ({ ...row, value: Number(row.value.toFixed(2)) })));
  const out = join(process.cwd(), 'tmp', 'bench');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'results.json'), `${JSON.stringify({ finishedAt: new Date().toISOString(), rows }, null, 2)}\n`);
  console.log(`results: ${join(out, 'results.json')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
