import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';
import pino from 'pino';
import { WebAppModule } from '@lbc/web-host';
import { runAdminCreate } from '@lbc/accounts';
import { demoTreeHeadKeyFile, loadTreeHeadKey, migrateAudit, runVerify, startAudit, verifierKey } from '@lbc/audit';
import { exitOnStartFailure, loadConfig } from '@lbc/config';
import type { VerifyConfig } from '@lbc/config';
import { openEventStore } from '@lbc/event-store';
import { createIngestApp, migrateDatabase, openDatabase, openIngestDependencies, serveIngestApp } from '@lbc/ingest';
import { onScriptDatabase } from '@lbc/postgres';
import { ReadApiModule } from '@lbc/read-api';

/** The dashboard's build (apps/web), served at `/` (the image builds it, deploy/Dockerfile). */
const WEB_ROOT = join(__dirname, '..', '..', '..', 'dist', 'apps', 'web');

// The school ingest API with the read-side and the auditors' APIs (production runs relay and
// projector as services of their own).
// `main.ts admin:create [--username … --county … --password …]` creates the first platform admin
// instead of serving; `main.ts migrate` migrates every schema as DATABASE_OWNER_URL and exits
// (deploy/); `main.ts verify [--tree-head FILE …]` re-checks the whole record (`npm run verify`).
async function main(): Promise<void> {
  const logger = pino({ name: 'ingest' });
  if (process.argv[2] === 'verify') return verify();
  const config = loadConfig(process.env, 'ingest');
  if (process.argv[2] === 'migrate') {
    const database = await openDatabase(config);
    await migrateDatabase(database, { postgresEvents: config.EVENTSTORE_URL === undefined, alongside: [migrateAudit] });
    return database.stop();
  }
  if (process.argv[2] === 'admin:create') {
    const opened = await openIngestDependencies(config, logger);
    const code = await runAdminCreate(opened.deps.accounts, process.argv.slice(3), { input: process.stdin, output: process.stdout });
    await opened.close();
    process.exit(code);
  }
  const treeHeadKey = loadTreeHeadKey({ keyFile: config.CHECKPOINT_KEY, origin: config.CHECKPOINT_ORIGIN, demoMode: config.DEMO_MODE, dataDir: config.DATA_DIR });
  const opened = await openIngestDependencies(config, logger, { alongside: [migrateAudit] });
  const { eventStore, vault, pool } = opened.deps;
  const audit = await startAudit({ eventStore, vault, auditPool: pool, treeHeadKey, onError: (error) => logger.warn({ err: error }, 'audit tree: retrying') });
  const mounted = [ReadApiModule.forRoot(opened.deps), audit.module, WebAppModule.forRoot(WEB_ROOT, (message) => logger.warn(message))];
  await serveIngestApp(await createIngestApp(opened.deps, mounted), opened, { name: 'Ingest API', beforeClose: () => audit.stop() });
}

/**
 * `npm run verify`: exits 0 only when every chain, the tree, every signed head and the access log
 * hold. Without DATABASE_URL, on the embedded PostgreSQL in DATA_DIR with its demo tree-head key.
 */
async function verify(): Promise<void> {
  const config = loadConfig(process.env, 'verify');
  const code = await onScriptDatabase(config.DATABASE_URL, config.DATA_DIR, ({ url }) => verifyRecord(config, url));
  // Said outright: the embedded server's exit hook ends the process with 0 whatever exitCode says.
  process.exit(code);
}

async function verifyRecord(config: VerifyConfig, databaseUrl: string): Promise<number> {
  const store = await openEventStore({ eventStoreUrl: config.EVENTSTORE_URL, databaseUrl });
  const pool = new Pool({ connectionString: databaseUrl, max: 2 });
  try {
    const demoKey = config.DEMO_MODE && existsSync(demoTreeHeadKeyFile(config.DATA_DIR));
    const key =
      config.CHECKPOINT_KEY !== undefined || demoKey
        ? loadTreeHeadKey({ keyFile: config.CHECKPOINT_KEY, origin: config.CHECKPOINT_ORIGIN, demoMode: demoKey, dataDir: config.DATA_DIR })
        : undefined;
    const verifier = key && verifierKey(key.name, key.privateKey);
    return await runVerify(process.argv.slice(3), { store, pool, verifier }, { output: (line) => console.log(line) });
  } finally {
    await store.close();
    await pool.end();
  }
}

main().catch(exitOnStartFailure('ingest'));
