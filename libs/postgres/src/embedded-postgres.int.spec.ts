import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

/**
 * A service that owns SIGTERM: it goes on using its embedded server for a while after the
 * signal (closing its own connections, as the platform does) and stops the server last.
 */
const SERVICE = `
const { Client } = require('pg');
const { startEmbeddedPostgres } = require('./libs/postgres/src/embedded-postgres.ts');
(async () => {
  const server = await startEmbeddedPostgres({ dataDir: process.argv[1], persistent: false });
  process.once('SIGTERM', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const client = new Client({ connectionString: server.url });
    await client.connect();
    const { rows } = await client.query('SELECT 1 AS up');
    await client.end();
    await server.stop();
    console.log('stopped in order, last query ' + rows[0].up);
    process.exit(0);
  });
  console.log('ready');
})();
`;

describe('startEmbeddedPostgres', () => {
  it('leaves SIGTERM to the service: the server still answers while the service stops, and stops when the service says', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'embedded-signal-'));
    chmodSync(dataDir, 0o777);
    try {
      const child = spawn(process.execPath, ['-r', './tools/register.js', '-e', SERVICE, join(dataDir, 'pg')], { cwd: ROOT });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', () => output.includes('ready') && resolve());
        void exited.then(() => reject(new Error(`exited before ready:\n${output}`)));
      });
      child.kill('SIGTERM');
      const code = await exited;
      expect(`exit ${code}\n${output}`).toMatch(/^exit 0\n[\s\S]*stopped in order, last query 1/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
