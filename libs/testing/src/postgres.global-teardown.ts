// eslint-disable-next-line @nx/enforce-module-boundaries
import type { RunningPostgres } from '../../postgres/src/embedded-postgres';
import { rmSync } from 'node:fs';

export default async function teardown(): Promise<void> {
  const started = (globalThis as Record<string, unknown>).__lbcPostgres as
    | { postgres: RunningPostgres; dataDir: string }
    | undefined;
  if (!started) return;
  await started.postgres.stop();
  rmSync(started.dataDir, { recursive: true, force: true });
}
