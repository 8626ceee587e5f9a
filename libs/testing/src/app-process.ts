import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

export interface AppProcess {
  readonly process: ChildProcess;
  /** Everything printed so far, stdout and stderr interleaved. */
  output(): string;
  readonly exited: Promise<number | null>;
  /** Waits for `<name> on <url>` in the output (90 s unless told, never past the process's end) and answers the url. */
  listening(name: string, timeoutMs?: number): Promise<string>;
}

export interface SpawnOptions {
  /** A process group of its own, as a terminal gives a command: a signal to the group reaches all of it. */
  readonly ownProcessGroup?: boolean;
  /** A script that runs `node <args>` for the app, as an npm script does (tools/own-process-group.js). */
  readonly launcher?: string;
}

/**
 * Runs an app's entry point (`apps/<app>/src/main.ts`) as `npm start` does, in a clean
 * environment plus `env`, so end-to-end tests exercise the real start-up path.
 */
export function spawnApp(entry: string, args: readonly string[], env: Record<string, string>, options: SpawnOptions = {}): AppProcess {
  const child = spawn(process.execPath, [...(options.launcher ? [options.launcher] : []), '-r', './tools/register.js', entry, ...args], {
    cwd: ROOT,
    detached: options.ownProcessGroup ?? false,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    process: child,
    output: () => output,
    exited,
    listening: async (name, timeoutMs = 90_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = new RegExp(`${name} on (\\S+)`).exec(output);
        if (match) return match[1];
        const ended = child.exitCode !== null || child.signalCode !== null;
        if (ended || Date.now() >= deadline) throw new Error(`${name} is not listening${ended ? ' (it ended)' : ' yet'}:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
  };
}
