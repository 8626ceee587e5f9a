// A synthetic county (libs/county-generator) as INTERCHANGE.md NDJSON, or posted to a running ingest API:
//   npm run generate -- --children 50000 --months 12 > county.ndjson
//   npm run generate -- --children 3000 --months 12 --out county.ndjson
//   npm run generate -- --children 3000 --months 12 --post http://127.0.0.1:3000 [--username admin] [--password demo1234] [--batch 1000]
// With --recorded, each line is { event, recordedAt, recordedBy } instead of the submitted event alone.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { countyOptionsOf, generateCounty, ndjsonLines } from '@lbc/county-generator';
import type { CountyOptions, GeneratedEvent } from '@lbc/county-generator';
import { countyDateOf } from '@lbc/domain';

interface Cli {
  readonly county: CountyOptions;
  readonly recorded: boolean;
  readonly out: string | null;
  readonly post: { readonly url: string; readonly username: string; readonly password: string; readonly batch: number } | null;
}

const OWN_FLAGS = ['--out', '--post', '--username', '--password', '--batch'];
const RETRIES = 5;

function cliOf(args: readonly string[]): Cli {
  const own = new Map<string, string>();
  const rest: string[] = [];
  let recorded = false;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--recorded') recorded = true;
    else if (OWN_FLAGS.includes(args[i])) {
      if (args[i + 1] === undefined) throw new RangeError(`${args[i]}: a value is missing`);
      own.set(args[i], args[++i]);
    } else rest.push(args[i]);
  }
  const batch = Number(own.get('--batch') ?? 1000);
  if (!Number.isInteger(batch) || batch < 1) throw new RangeError('--batch: a positive integer');
  const url = own.get('--post');
  if (url !== undefined && recorded) throw new RangeError('--recorded: only for files (the ingest records its own time)');
  return {
    county: countyOptionsOf(rest, countyDateOf(Date.now() - 86_400_000)),
    recorded,
    out: own.get('--out') ?? null,
    post: url === undefined ? null : { url: url.replace(/\/$/, ''), username: own.get('--username') ?? 'admin', password: own.get('--password') ?? 'demo1234', batch },
  };
}

async function write(lines: Iterable<string>, to: Writable): Promise<void> {
  for (const line of lines) if (!to.write(line)) await once(to, 'drain');
}

/** `[#####-----]  48 % 1234567 events, 5321 events/s`, redrawn in place on a terminal, every 5 % elsewhere. */
function progressBar(total: number): (done: number, events: number, last?: boolean) => void {
  const started = Date.now();
  let shown = -1;
  return (done, events, last = false) => {
    const percent = Math.floor((100 * done) / total);
    if (!process.stderr.isTTY && Math.floor(percent / 5) === shown && !last) return;
    shown = Math.floor(percent / 5);
    const filled = Math.round(percent / 5);
    const rate = Math.round(events / Math.max(0.001, (Date.now() - started) / 1000));
    const line = `[${'#'.repeat(filled)}${'-'.repeat(20 - filled)}] ${String(percent).padStart(3)} % ${events} events, ${rate} events/s`;
    process.stderr.write(process.stderr.isTTY ? `\r${line}` : `${line}\n`);
  };
}

async function login(post: NonNullable<Cli['post']>): Promise<string> {
  const response = await fetch(`${post.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: post.username, password: post.password }),
  });
  if (response.status !== 200) throw new Error(`login as ${post.username}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

/** One batch, resent as it was (its eventIds make a resend a duplicate) while the server is busy or unreachable. */
async function send(post: NonNullable<Cli['post']>, token: string, body: string): Promise<{ status: string; reason?: string; field?: string; eventId: string }[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(`${post.url}/api/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' }, body });
      if (response.status === 200) return ((await response.json()) as { results: { status: string; eventId: string }[] }).results;
      const retry = response.status === 429 || response.status >= 500;
      if (!retry || attempt >= RETRIES) throw new Error(`POST /api/v1/events: ${response.status} ${(await response.text()).slice(0, 500)}`);
      await new Promise((resolve) => setTimeout(resolve, Number(response.headers.get('retry-after') ?? 1) * 1000));
    } catch (error) {
      if (attempt >= RETRIES || (error instanceof Error && error.message.startsWith('POST '))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
    }
  }
}

/** Posts the county in order, `batch` events a request; progress is the share of its children registered so far. */
async function postCounty(post: NonNullable<Cli['post']>, county: Iterable<GeneratedEvent>, children: number): Promise<void> {
  const token = await login(post);
  const progress = progressBar(children);
  const counts = { accepted: 0, duplicate: 0, rejected: 0 };
  let registered = 0;
  let events = 0;
  let batch: GeneratedEvent[] = [];
  const flush = async () => {
    for (const result of await send(post, token, [...ndjsonLines(batch)].join(''))) {
      counts[result.status as keyof typeof counts]++;
      if (result.status === 'rejected' && counts.rejected <= 5) process.stderr.write(`\nrejected ${result.eventId}: ${result.reason} ${result.field ?? ''}\n`);
    }
    events += batch.length;
    batch = [];
    progress(registered, events);
  };
  for (const generated of county) {
    batch.push(generated);
    if (generated.event.type === 'ChildRegistered') registered++;
    if (batch.length >= post.batch) await flush();
  }
  if (batch.length > 0) await flush();
  progress(children, events, true);
  process.stderr.write(`\n${counts.accepted} accepted, ${counts.duplicate} duplicate, ${counts.rejected} rejected\n`);
  if (counts.rejected > 0) process.exitCode = 1;
}

async function main(): Promise<void> {
  const cli = cliOf(process.argv.slice(2));
  const county = generateCounty(cli.county);
  if (cli.post) return postCounty(cli.post, county, cli.county.children);
  const lines = cli.recorded ? (function* () { for (const e of county) yield `${JSON.stringify(e)}\n`; })() : ndjsonLines(county);
  const to = cli.out ? createWriteStream(cli.out) : process.stdout;
  await write(lines, to);
  if (cli.out) await new Promise<void>((resolve, reject) => (to as ReturnType<typeof createWriteStream>).end((error?: Error | null) => (error ? reject(error) : resolve())));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
