import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DEMO_PASSWORD } from '@lbc/accounts';
import { seedDemo } from './demo/seed-demo';
import type { OpenedIngestDependencies } from './open-ingest-dependencies';

export interface ServeOptions {
  /** How the process announces itself: `<name> on <url>`. */
  readonly name: string;
  /** Runs first on SIGTERM/SIGINT, before the app and its adapters close. */
  readonly beforeClose?: () => Promise<void>;
}

/**
 * Seeds the demo county in demo mode (idempotent: fixed ids), listens on PORT, prints where,
 * and closes everything in order on SIGTERM/SIGINT.
 */
export async function serveIngestApp(app: INestApplication, opened: OpenedIngestDependencies, options: ServeOptions): Promise<void> {
  const { config, accounts } = opened.deps;
  if (config.DEMO_MODE) {
    const users = await seedDemo(app.get(CommandBus), accounts);
    console.log(`Demo mode: accounts (password ${DEMO_PASSWORD}): ${users.map((user) => `${user.username} (${user.role})`).join(', ')}`);
  }
  await app.listen(config.PORT);
  console.log(`${options.name} on ${await app.getUrl()} (OpenAPI: /api/docs)`);
  const shutdown = async () => {
    await options.beforeClose?.();
    await app.close();
    await opened.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
}
