import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

/** A service whose orderly stop takes a while, as the platform's drain and close do. */
const SERVICE = `
const { stopOnSignals } = require('./libs/config/src/stop-signals.ts');
stopOnSignals(async () => {
  console.log('stopping');
  await new Promise((resolve) => setTimeout(resolve, 1000));
  console.log('stopped in order');
});
console.log('ready');
setInterval(() => undefined, 1000);
`;

describe('stopOnSignals', () => {
  it.each([['SIGTERM'], ['SIGINT']] as const)('stops once on %s and lets no later signal cut the stop short', async (signal) => {
    const child = spawn(process.execPath, ['-r', './tools/register.js', '-e', SERVICE], { cwd: ROOT });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    while (!output.includes('ready')) await new Promise((resolve) => setTimeout(resolve, 50));
    child.kill(signal);
    while (!output.includes('stopping')) await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill('SIGINT');
    child.kill('SIGTERM');
    // Strings only: nx sets FORCE_COLOR, which colours numbers a child logs.
    expect({ exit: await exited, output: output.trim().split('\n') }).toEqual({ exit: 0, output: ['ready', 'stopping', 'stopped in order'] });
  }, 30_000);
});
