import { readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const STOP_TIMEOUT_MS = 60_000;

/**
 * A PostgreSQL server left running on `dataDir` by a process that died without stopping it (killed,
 * crashed): it holds the data directory, so a new server refuses to start. It is ours when its
 * postmaster.pid names this data directory and its process is a live postgres; then it is asked
 * for a fast shutdown (SIGINT: rolls back open transactions, then writes a checkpoint) and awaited.
 * A postmaster.pid whose process is gone is left to PostgreSQL, which replaces a stale one.
 */
export async function stopLeftoverServer(dataDir: string): Promise<boolean> {
  const pid = leftoverPid(dataDir);
  if (pid === null) return false;
  try {
    process.kill(pid, 'SIGINT');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw new Error(`PostgreSQL (pid ${pid}) left running on ${dataDir} cannot be stopped: ${(error as Error).message}`);
  }
  for (const started = Date.now(); alive(pid); await sleep(100)) {
    if (Date.now() - started > STOP_TIMEOUT_MS) {
      throw new Error(`PostgreSQL (pid ${pid}) left running on ${dataDir} did not stop within ${STOP_TIMEOUT_MS / 1000} s`);
    }
  }
  return true;
}

/**
 * The live process that started the server running on `dataDir` and still holds it (a running
 * `npm start`), or null: no server runs there, or its starter died and left it behind. Where /proc
 * does not tell (not Linux), null.
 */
export function embeddedServerHolder(dataDir: string): number | null {
  const pid = serverPid(dataDir);
  if (pid === null) return null;
  const parent = parentOf(pid);
  // A server whose starter died is adopted by init (or a subreaper), never by a Node process.
  return parent !== null && parent !== 1 && commandOf(parent)?.startsWith('node') ? parent : null;
}

function leftoverPid(dataDir: string): number | null {
  const pid = serverPid(dataDir);
  return pid !== null && embeddedServerHolder(dataDir) === null ? pid : null;
}

function parentOf(pid: number): number | null {
  try {
    // `pid (comm) state ppid …`: comm may hold spaces and parentheses, the last `)` ends it.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

function commandOf(pid: number): string | null {
  try {
    return basename(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0]);
  } catch {
    return null;
  }
}

function serverPid(dataDir: string): number | null {
  let lines: string[];
  try {
    lines = readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return null;
  }
  const pid = Number(lines[0]);
  if (!Number.isSafeInteger(pid) || pid <= 0 || resolve(lines[1] ?? '') !== resolve(dataDir) || !alive(pid)) return null;
  return isPostgres(pid) ? pid : null;
}

/** After a reboot the pid may belong to anything: where /proc tells (Linux), it must be a postgres. */
function isPostgres(pid: number): boolean {
  const command = commandOf(pid);
  return command === null || command === 'postgres';
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, but not ours to signal (then stopping it fails with a clear error).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
