import { join } from 'node:path';
import pino from 'pino';
import { WebAppModule } from '@lbc/web-host';
import { runAdminCreate } from '@lbc/accounts';
import { exitOnStartFailure, loadConfig } from '@lbc/config';
import { createIngestApp, migrateDatabase, openDatabase, openIngestDependencies, serveIngestApp } from '@lbc/ingest';
import { ReadApiModule } from '@lbc/read-api';

/** The dashboard's build (apps/web), served at `/` (the image builds it, deploy/Dockerfile). */
const WEB_ROOT = join(__dirname, '..', '..', '..', 'dist', 'apps', 'web');

// The school ingest API with the read-side API (production runs relay and projector as services
// of their own).
// `main.ts admin:create [--username … --county … --password …]` creates the first platform admin
// instead of serving; `main.ts migrate` migrates every schema as DATABASE_OWNER_URL and exits (deploy/).
async function main(): Promise<void> {
  const logger = pino({ name: 'ingest' });
  const config = loadConfig(process.env, 'ingest');
  if (process.argv[2] === 'migrate') {
    const database = await openDatabase(config);
    await migrateDatabase(database, { postgresEvents: config.EVENTSTORE_URL === undefined });
    return database.stop();
  }
  const opened = await openIngestDependencies(config, logger);
  if (process.argv[2] === 'admin:create') {
    const code = await runAdminCreate(opened.deps.accounts, process.argv.slice(3), { input: process.stdin, output: process.stdout });
    await opened.close();
    process.exit(code);
  }
  const mounted = [ReadApiModule.forRoot(opened.deps), WebAppModule.forRoot(WEB_ROOT, (message) => logger.warn(message))];
  await serveIngestApp(await createIngestApp(opened.deps, mounted), opened, { name: 'Ingest API' });
}

main().catch(exitOnStartFailure('ingest'));
