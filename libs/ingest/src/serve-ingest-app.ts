import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DEMO_PASSWORD } from '@lbc/accounts';
import { stopOnSignals } from '@lbc/config';
import { seedDemo } from './demo/seed-demo';
import type { OpenedIngestDependencies } from './open-ingest-dependencies';

export interface ServeOptions {
  /** How the process announces itself: `<name> on <url>`. */
  readonly name: string;
  /** Runs first on SIGTERM/SIGINT, before the app and its adapters close. */
  readonly beforeClose?: () => Promise<void>;
}

/**
 * Seeds the demo county in demo mode (idempotent: fixed ids), listens on PORT, prints where,
 * and closes everything in order on SIGTERM/SIGINT.
 */
export async function serveIngestApp(app: INestApplication, opened: OpenedIngestDependencies, options: ServeOptions): Promise<void> {
  const { config, accounts } = opened.deps;
  if (config.DEMO_MODE) {
    const started = Date.now();
    const { users, recorded } = await seedDemo(app.get(CommandBus), accounts, opened.deps.eventStore, {
      children: config.DEMO_CHILDREN,
      now: new Date(),
      onProgress: demoProgress(started),
    });
    if (recorded > 0) console.log(`Demo county: ${recorded} events recorded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    console.log(`Demo mode: accounts (password ${DEMO_PASSWORD}): ${users.map((user) => `${user.username} (${user.role})`).join(', ')}`);
  }
  await app.listen(config.PORT);
  console.log(`${options.name} on ${await app.getUrl()} (OpenAPI: /api/docs)`);
  const shutdown = async () => {
    await drain(app.getHttpServer() as Server);
    await options.beforeClose?.();
    await app.close();
    await opened.close();
  };
  stopOnSignals(shutdown);
}

/**
 * Stops taking connections and waits for the requests under way to be answered, so that a batch
 * being recorded is recorded whole and acknowledged before anything it writes to closes (its
 * streams are appended one transaction each: cut short, it would be stored in part). Idle
 * keep-alive connections are closed at once, and again as answered ones become idle.
 */
async function drain(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  const idle = setInterval(() => server.closeIdleConnections(), 50);
  try {
    server.closeIdleConnections();
    await closed;
  } finally {
    clearInterval(idle);
  }
}

/** One line that counts up on a terminal; every tenth elsewhere (logs keep every line). */
function demoProgress(started: number): (done: number, total: number) => void {
  let shown = -1;
  return (done, total) => {
    const percent = Math.floor((100 * done) / total);
    if (!process.stdout.isTTY && Math.floor(percent / 10) === shown && done < total) return;
    shown = Math.floor(percent / 10);
    const line = `Demo county: seeding ${done} of ${total} events (${percent} %, ${((Date.now() - started) / 1000).toFixed(0)} s)`;
    if (process.stdout.isTTY) process.stdout.write(`\r${line}${done === total ? '\n' : ''}`);
    else console.log(line);
  };
}
