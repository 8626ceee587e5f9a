import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppProcess } from '@lbc/testing';
import { spawnApp } from '@lbc/testing';
import { newDataDir } from './testing/demo-platform';

describe('npm start after the platform was killed', () => {
  let dataDir: string;
  const started: AppProcess[] = [];
  let leftover: number | undefined;
  const start = () => {
    const platform = spawnApp('apps/platform/src/main.ts', [], { DATA_DIR: dataDir, PORT: '0', DEMO_CHILDREN: '0' });
    started.push(platform);
    return platform;
  };
  const postmasterPid = () => Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);

  beforeAll(() => {
    dataDir = newDataDir('restart');
  });

  afterAll(async () => {
    for (const platform of started) if (platform.process.exitCode === null) platform.process.kill('SIGTERM');
    await Promise.all(started.map((platform) => platform.exited));
    // Had the restart failed, the server the killed process left would run on for ever.
    if (leftover !== undefined) process.kill(leftover, 'SIGINT');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stops the PostgreSQL the killed process left running on its data directory, starts again and serves', async () => {
    const first = start();
    await first.listening('Platform');
    const killed = postmasterPid();
    leftover = killed;
    first.process.kill('SIGKILL');
    await first.exited;
    // The embedded server outlives the process that started it, holding the data directory.
    expect(() => process.kill(killed, 0)).not.toThrow();

    const second = start();
    const url = await second.listening('Platform');
    expect((await fetch(`${url}/health`)).status).toBe(200);
    expect(postmasterPid()).not.toBe(killed);
    expect(() => process.kill(killed, 0)).toThrow();
    leftover = undefined;
    expect(second.output()).not.toMatch(/^undefined$/m);
  });

  it('leaves alone a live process that postmaster.pid names but that is no PostgreSQL, and starts', async () => {
    const running = started[started.length - 1];
    running.process.kill('SIGTERM');
    await running.exited;
    const stranger = spawn('sleep', ['120']);
    try {
      writeFileSync(join(dataDir, 'postgres', 'postmaster.pid'), `${stranger.pid}\n${join(dataDir, 'postgres')}\n`);
      const url = await start().listening('Platform');
      expect((await fetch(`${url}/health`)).status).toBe(200);
      expect(stranger.exitCode).toBeNull();
      expect(stranger.signalCode).toBeNull();
    } finally {
      stranger.kill();
    }
  });
});
