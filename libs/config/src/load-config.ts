import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Environment } from './config.schema';
import { environmentSchema } from './config.schema';

export interface Config extends Omit<Environment, 'DEMO_MODE' | 'MASTER_KEY' | 'JWT_SECRET' | 'DATA_DIR' | 'KEY_DIR'> {
  readonly DATA_DIR: string;
  /** The key-encryption keys of personal data: outside the database, shared by the processes that seal. */
  readonly KEY_DIR: string;
  readonly DEMO_MODE: boolean;
  /** 32 bytes. */
  readonly MASTER_KEY: Buffer;
  readonly JWT_SECRET: string;
}

/** The relay's and the projector's part of the configuration: no secrets, a database and Kafka required. */
export interface StreamConfig extends Pick<Environment, 'PORT' | 'EVENTSTORE_URL' | 'KAFKA_REPLICATION_FACTOR' | 'KAFKA_MIN_INSYNC_REPLICAS'> {
  /** The event store (unless `EVENTSTORE_URL`), the relay's checkpoint and the read models. */
  readonly DATABASE_URL: string;
  readonly KAFKA_BROKERS: string[];
}

/** What a script run beside `npm start` needs: DATABASE_URL, or (unset) the embedded PostgreSQL in DATA_DIR. */
interface ScriptDatabase {
  readonly DATABASE_URL?: string;
  /** Absolute. */
  readonly DATA_DIR: string;
}

/** A rebuild's part: no secrets, no Kafka (it publishes nothing). */
export interface RebuildConfig extends ScriptDatabase, Pick<Environment, 'EVENTSTORE_URL'> {}

/** `npm run verify`'s part: the record's database, and the tree-head key whose public half checks the signed heads. */
export interface VerifyConfig extends ScriptDatabase, Pick<Environment, 'EVENTSTORE_URL' | 'CHECKPOINT_KEY' | 'CHECKPOINT_ORIGIN'> {
  /** DATABASE_URL unset: the tree heads were signed with the demo key in DATA_DIR. */
  readonly DEMO_MODE: boolean;
}

/** What runs on the configuration: the whole platform or the ingest API, one stage of the stream, or the auditors' check. */
export type Service = 'platform' | 'ingest' | 'relay' | 'projector' | 'rebuild' | 'verify';

/** Every problem of the environment on one line, each naming its variable: printed as is, without a stack. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

const SECRETS_FILE = 'secrets.json';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Parses and validates the environment once, at start, for the service that runs. The platform and
 * the ingest API: in demo mode, missing secrets are generated on first start and kept in DATA_DIR,
 * so that a restarted demo still opens its sealed data and honours its tokens; outside demo mode
 * they are required. The relay and the projector, services of their own beside Kafka, need no
 * secrets but DATABASE_URL and KAFKA_BROKERS. A rebuild and verify run, like `npm start`, on the
 * embedded PostgreSQL in DATA_DIR when DATABASE_URL is unset.
 */
export function loadConfig(env: Env, service?: 'platform' | 'ingest'): Config;
export function loadConfig(env: Env, service: 'relay' | 'projector'): StreamConfig;
export function loadConfig(env: Env, service: 'rebuild'): RebuildConfig;
export function loadConfig(env: Env, service: 'verify'): VerifyConfig;
export function loadConfig(env: Env, service: Service = 'platform'): Config | StreamConfig | RebuildConfig | VerifyConfig {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`));
  }
  const environment = parsed.data;
  if (service === 'platform' || service === 'ingest') return withSecrets(environment);
  const { DATABASE_URL, EVENTSTORE_URL } = environment;
  const DATA_DIR = resolve(environment.DATA_DIR);
  if (service === 'rebuild') return { DATABASE_URL, DATA_DIR, EVENTSTORE_URL };
  if (service === 'verify') {
    const { CHECKPOINT_KEY, CHECKPOINT_ORIGIN } = environment;
    return { DATABASE_URL, DATA_DIR, EVENTSTORE_URL, CHECKPOINT_KEY, CHECKPOINT_ORIGIN, DEMO_MODE: environment.DEMO_MODE ?? DATABASE_URL === undefined };
  }
  const { PORT, KAFKA_BROKERS, KAFKA_REPLICATION_FACTOR, KAFKA_MIN_INSYNC_REPLICAS } = environment;
  const missing = [
    ...(DATABASE_URL ? [] : [`DATABASE_URL: required by the ${service} (postgres://…, the event store and read models)`]),
    ...(KAFKA_BROKERS?.length ? [] : [`KAFKA_BROKERS: required by the ${service} (host:port,…)`]),
  ];
  if (!DATABASE_URL || !KAFKA_BROKERS?.length) throw new ConfigError(missing);
  return { PORT, DATABASE_URL, EVENTSTORE_URL, KAFKA_BROKERS, KAFKA_REPLICATION_FACTOR, KAFKA_MIN_INSYNC_REPLICAS };
}

function withSecrets(environment: Environment): Config {
  const demoMode = environment.DEMO_MODE ?? environment.DATABASE_URL === undefined;
  const dataDir = resolve(environment.DATA_DIR);
  const demoSecrets = demoMode && (!environment.MASTER_KEY || !environment.JWT_SECRET) ? demoSecretsIn(dataDir) : undefined;
  const masterKey = environment.MASTER_KEY ?? demoSecrets?.masterKey;
  const jwtSecret = environment.JWT_SECRET ?? demoSecrets?.jwtSecret;
  const missing = [
    ...(masterKey ? [] : ['MASTER_KEY: required outside demo mode (32 bytes, base64)']),
    ...(jwtSecret ? [] : ['JWT_SECRET: required outside demo mode (at least 32 characters)']),
  ];
  if (!masterKey || !jwtSecret) throw new ConfigError(missing);
  return {
    ...environment,
    DATA_DIR: dataDir,
    KEY_DIR: resolve(environment.KEY_DIR ?? join(dataDir, 'keys')),
    DEMO_MODE: demoMode,
    MASTER_KEY: Buffer.from(masterKey, 'base64'),
    JWT_SECRET: jwtSecret,
  };
}

function demoSecretsIn(dataDir: string): { masterKey: string; jwtSecret: string } {
  const file = join(dataDir, SECRETS_FILE);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as { masterKey: string; jwtSecret: string };
  const secrets = { masterKey: randomBytes(32).toString('base64'), jwtSecret: randomBytes(48).toString('base64url') };
  mkdirSync(dataDir, { recursive: true });
  try {
    writeFileSync(file, JSON.stringify(secrets), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process started at the same moment and wrote its secrets first: use those.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return demoSecretsIn(dataDir);
    throw error;
  }
  return secrets;
}
