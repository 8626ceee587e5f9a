import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError, loadConfig } from './load-config';

describe('loadConfig', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'lbc-config-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('defaults to demo mode on embedded PostgreSQL, with secrets generated once and kept', () => {
    const first = loadConfig({ DATA_DIR: dataDir });
    expect(first).toMatchObject({
      PORT: 3000,
      DEMO_MODE: true,
      JWT_TTL_SECONDS: 3600,
      MAX_CARER_LOAD: 3,
      SUPPRESSION_K: 5,
      INGEST_MAX_EVENTS: 5000,
      INGEST_MAX_BODY_BYTES: 8 * 1024 * 1024,
    });
    expect(first.DATABASE_URL).toBeUndefined();
    expect(first.DATABASE_OWNER_URL).toBeUndefined();
    expect(first.KEY_DIR).toBe(join(dataDir, 'keys'));
    expect(first.MASTER_KEY).toHaveLength(32);
    const second = loadConfig({ DATA_DIR: dataDir });
    expect(second.MASTER_KEY.equals(first.MASTER_KEY)).toBe(true);
    expect(second.JWT_SECRET).toBe(first.JWT_SECRET);
    expect(JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8')).jwtSecret).toBe(first.JWT_SECRET);
  });

  it('requires the secrets outside demo mode, naming each', () => {
    expect(() => loadConfig({ DATA_DIR: dataDir, DATABASE_URL: 'postgres://u:p@db:5432/lbc' })).toThrow(
      /MASTER_KEY: required outside demo mode[\s\S]*JWT_SECRET: required outside demo mode/,
    );
  });

  it('parses every variable and lists every invalid one', () => {
    const masterKey = Buffer.alloc(32, 7).toString('base64');
    const config = loadConfig({
      DATA_DIR: dataDir,
      DATABASE_URL: 'postgres://u:p@db:5432/lbc',
      DATABASE_OWNER_URL: 'postgres://owner:p@db:5432/lbc',
      KEY_DIR: '/srv/keys',
      MASTER_KEY: masterKey,
      JWT_SECRET: 'x'.repeat(32),
      PORT: '8080',
      MAX_CARER_LOAD: '2',
      KAFKA_BROKERS: 'k1:9092, k2:9092',
      KAFKA_REPLICATION_FACTOR: '3',
      KAFKA_MIN_INSYNC_REPLICAS: '2',
      EVENTSTORE_URL: 'esdb://localhost:2113?tls=false',
    });
    expect(config).toMatchObject({ PORT: 8080, DEMO_MODE: false, DATABASE_OWNER_URL: 'postgres://owner:p@db:5432/lbc', KEY_DIR: '/srv/keys', MAX_CARER_LOAD: 2, KAFKA_BROKERS: ['k1:9092', 'k2:9092'] });
    expect(config).toMatchObject({ KAFKA_REPLICATION_FACTOR: 3, KAFKA_MIN_INSYNC_REPLICAS: 2 });
    expect(config.MASTER_KEY.equals(Buffer.alloc(32, 7))).toBe(true);

    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', MASTER_KEY: 'c2hvcnQ=', DEMO_MODE: 'maybe', DATABASE_URL: 'mysql://x', DATABASE_OWNER_URL: 'owner', KAFKA_MIN_INSYNC_REPLICAS: '0' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((problem) => problem.split(':')[0]).sort()).toEqual([
      'DATABASE_OWNER_URL',
      'DATABASE_URL',
      'DEMO_MODE',
      'KAFKA_MIN_INSYNC_REPLICAS',
      'MASTER_KEY',
      'PORT',
    ]);
  });

  it('gives the relay, projector, rebuild and verify no secrets, requiring what each needs, each problem on the one line', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/lbc', KAFKA_BROKERS: 'k1:9092' }, 'relay')).toEqual({
      PORT: 3000,
      DATABASE_URL: 'postgres://u:p@db:5432/lbc',
      EVENTSTORE_URL: undefined,
      KAFKA_BROKERS: ['k1:9092'],
    });
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/lbc', KAFKA_BROKERS: 'k1:9092' }, 'rebuild')).toEqual({
      DATABASE_URL: 'postgres://u:p@db:5432/lbc',
      DATA_DIR: resolve('.data'),
      EVENTSTORE_URL: undefined,
    });
    // Without DATABASE_URL a rebuild and verify use the embedded PostgreSQL in DATA_DIR, as npm start does.
    expect(loadConfig({ DATA_DIR: 'here' }, 'rebuild')).toEqual({ DATABASE_URL: undefined, DATA_DIR: resolve('here'), EVENTSTORE_URL: undefined });
    expect(loadConfig({ DATA_DIR: dataDir }, 'verify')).toMatchObject({ DATABASE_URL: undefined, DATA_DIR: resolve(dataDir), DEMO_MODE: true });
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/lbc' }, 'verify')).toMatchObject({ DEMO_MODE: false });
    expect(() => loadConfig({}, 'projector')).toThrow(
      /^Invalid configuration: DATABASE_URL: required by the projector [^\n]*; KAFKA_BROKERS: required by the projector [^\n]*$/,
    );
    expect(() => loadConfig({ PORT: 'eighty' }, 'relay')).toThrow(/^Invalid configuration: PORT: [^\n]*$/);
  });
});

