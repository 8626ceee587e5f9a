import { Pool } from 'pg';
import pino from 'pino';
import { Accounts, DEMO_PASSWORD, migrateAccounts, runAdminCreate } from '@lbc/accounts';
import { loadConfig } from '@lbc/config';
import { createEventStoreDbEventStore, createPostgresEventStore } from '@lbc/event-store';
import { createIngestApp, EventRecorder, openDatabase, seedDemo } from '@lbc/ingest';
import { createPersonalDataVault } from '@lbc/personal-data';

// The school ingest API. `main.ts admin:create [--username … --county … --password …]` creates
// the first platform admin instead of serving.
async function main(): Promise<void> {
  const logger = pino({ name: 'ingest' });
  const config = loadConfig(process.env);
  const database = await openDatabase(config);
  await migrateAccounts(database.url);
  const pool = new Pool({ connectionString: database.url, max: 8 });
  // An idle connection the server drops (e.g. embedded PostgreSQL stopping on SIGTERM) is replaced.
  pool.on('error', (error) => logger.warn({ err: error }, 'idle database connection lost'));
  const accounts = new Accounts(pool);

  if (process.argv[2] === 'admin:create') {
    const code = await runAdminCreate(accounts, process.argv.slice(3), { input: process.stdin, output: process.stdout });
    await pool.end();
    await database.stop();
    process.exit(code);
  }

  const eventStore = config.EVENTSTORE_URL
    ? await createEventStoreDbEventStore({ url: config.EVENTSTORE_URL })
    : await createPostgresEventStore({ url: database.url });
  const vault = await createPersonalDataVault({ url: database.url, masterKey: config.MASTER_KEY });
  const app = await createIngestApp({ config, databaseUrl: database.url, pool, accounts, eventStore, vault, logger });
  if (config.DEMO_MODE) {
    const users = await seedDemo(app.get(EventRecorder), accounts);
    console.log(`Demo mode: accounts (password ${DEMO_PASSWORD}): ${users.map((user) => `${user.username} (${user.role})`).join(', ')}`);
  }
  await app.listen(config.PORT);
  console.log(`Ingest API on ${await app.getUrl()} (OpenAPI: /api/docs)`);

  const shutdown = async () => {
    await app.close();
    await eventStore.close();
    await vault.close();
    await pool.end();
    await database.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
