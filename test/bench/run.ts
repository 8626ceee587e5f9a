// `npm run bench` runs every `*.bench.ts` here; `npm run bench -- <name> …` runs the named ones.
// One embedded PostgreSQL serves the whole run. It prints one table (figure, the reference measured
// in the same run, ratio, target, pass or fail) and writes it to bench/results/ as JSON and
// Markdown with the machine it ran on: all.json/all.md for a whole run, <name>.json/.md for some.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '@lbc/postgres';
import type { RunningPostgres } from '@lbc/postgres';
import type { Bench, BenchContext, BenchRow } from './bench';
import type { BenchResults, Machine } from './results-table';
import { failedBench, judge, markdownTable, textTable } from './results-table';

const ROOT = resolve(__dirname, '..', '..');

function loadBenches(): Bench[] {
  return readdirSync(__dirname)
    .filter((file) => file.endsWith('.bench.ts'))
    .sort()
    .map((file) => (require(join(__dirname, file)) as { bench: Bench }).bench);
}

/** The broker's version from its jar (deploy/kafka/libs, fetched by the first bench that starts one). */
function kafkaVersion(): string {
  try {
    const jar = readdirSync(join(ROOT, 'deploy', 'kafka', 'libs')).find((file) => /^kafka_[\d.]+-[\d.]+\.jar$/.test(file));
    return jar?.replace(/^kafka_[\d.]+-([\d.]+)\.jar$/, '$1') ?? 'not fetched';
  } catch {
    return 'not fetched';
  }
}

async function machine(postgres: RunningPostgres, loadAverage: number): Promise<Machine> {
  const client = new Client({ connectionString: postgres.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return {
      cores: cpus().length,
      cpu: cpus()[0]?.model.trim() ?? 'unknown',
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.versions.node,
      postgres: rows[0].server_version,
      kafka: kafkaVersion(),
      loadAverage,
    };
  } finally {
    await client.end();
  }
}

async function main(): Promise<number> {
  const wanted = process.argv.slice(2);
  const all = loadBenches();
  const unknown = wanted.filter((name) => !all.some((bench) => bench.name === name));
  if (unknown.length > 0) throw new Error(`Unknown bench ${unknown.join(', ')}; known: ${all.map((bench) => bench.name).join(', ')}`);
  const benches = wanted.length > 0 ? all.filter((bench) => wanted.includes(bench.name)) : all;

  const startedAt = new Date().toISOString();
  const loadAtStart = loadavg()[0];
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
  const out = join(ROOT, 'bench', 'results');
  const name = wanted.length > 0 ? wanted.join('+') : 'all';
  mkdirSync(out, { recursive: true });
  // Written again after each bench: a run stopped midway still leaves the rows it measured.
  const write = async (done: readonly Bench[]): Promise<BenchResults> => {
    const results: BenchResults = {
      startedAt,
      finishedAt: new Date().toISOString(),
      benches: done.map((bench) => bench.name),
      machine: await machine(postgres, loadAtStart),
      rows: rows.map(judge),
    };
    writeFileSync(join(out, `${name}.json`), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(join(out, `${name}.md`), markdownTable(results));
    return results;
  };
  let results: BenchResults | undefined;
  try {
    for (const [index, bench] of benches.entries()) {
      console.log(`bench ${bench.name}`);
      // One bench that cannot run (no Java for Kafka, a broken build) fails its row, not the others.
      try {
        rows.push(...(await bench.run(context)));
      } catch (error) {
        console.error(error);
        rows.push(failedBench(bench.name, error));
      }
      results = await write(benches.slice(0, index + 1));
    }
  } finally {
    await postgres.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (!results) return 1;

  console.log(`\n${textTable(results)}\n`);
  console.log(`results: ${join(out, `${name}.json`)}, ${join(out, `${name}.md`)}`);
  const failed = results.rows.filter((row) => row.verdict === 'fail');
  if (failed.length > 0) console.log(`${failed.length} of ${results.rows.length} rows fail their target`);
  return failed.length > 0 ? 1 : 0;
}

// Exit codes said outright: the embedded server's exit hook ends the process with 0 whatever exitCode says.
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
