import type { Pool } from 'pg';
import { runMigrations } from '@lbc/postgres';
import { checkMasterKey, masterKeyId, newDataKey, unwrapDataKey, wrapDataKey } from '../crypto/key-wrap';
import type { SubjectKeys } from '../crypto/sealed-box';
import { canonicalPersonal, deriveSubjectKeys, openSealed, parsePersonal, parseSealed, sealPlaintext } from '../crypto/sealed-box';
import { LRUCache } from 'lru-cache';
import type { PersonalData, PersonalDataVault, SealedPersonalData } from '../personal-data-vault';
import { PersonalDataError } from '../personal-data-vault';
import type { Connection, OpenConnection } from './connection';
import { openConnection } from './connection';
import { CreatePersonalDataKeys1735800000000 } from './migrations/1735800000000-create-personal-data-keys.migration';

const FIRST_KEY_VERSION = 1;
const DEFAULT_CACHE_SIZE = 10_000;
const SELECT_KEY = 'SELECT key_version, master_key_id, wrapped_key, erased_at FROM personal_data_keys WHERE subject_id = $1';

export type PersonalDataVaultOptions = Connection & {
  /** 32 bytes; the app reads it from its configuration (MASTER_KEY). */
  readonly masterKey: Uint8Array;
  /** How many subjects' unwrapped keys stay in memory. */
  readonly cacheSize?: number;
};

interface KeyRow {
  key_version: number;
  master_key_id: string | null;
  wrapped_key: Buffer | null;
  erased_at: Date | null;
}

type SubjectKeyState = { readonly state: 'active'; readonly keys: SubjectKeys } | { readonly state: 'erased' };

export function migratePersonalData(url: string): Promise<void> {
  return runMigrations(url, 'personal_data_migrations', [CreatePersonalDataKeys1735800000000]);
}

/**
 * The PostgreSQL-backed vault. Given a URL it migrates its table and owns its pool; given a pool,
 * the caller has run `migratePersonalData` and closes the pool itself.
 */
export async function createPersonalDataVault(options: PersonalDataVaultOptions): Promise<PersonalDataVault> {
  const masterKey = checkMasterKey(options.masterKey);
  const cacheSize = options.cacheSize ?? DEFAULT_CACHE_SIZE;
  if (!Number.isSafeInteger(cacheSize) || cacheSize < 1) throw new RangeError('cacheSize: must be a positive integer');
  const cache = new LRUCache<string, SubjectKeyState>({ max: cacheSize });
  if ('url' in options) await migratePersonalData(options.url);
  return new PostgresPersonalDataVault(openConnection(options), masterKey, cache);
}

class PostgresPersonalDataVault implements PersonalDataVault {
  private readonly pool: Pool;
  private readonly masterKeyId: string;
  /**
   * Counts erasure starts and ends in this process: a key loaded while an erasure was under way
   * is used once but not cached, so the cache never outlives an erasure made here. (Another
   * process's erasure is seen when the key leaves this cache, or on restart.)
   */
  private erasureEdges = 0;

  constructor(
    private readonly connection: OpenConnection,
    private readonly masterKey: Buffer,
    private readonly cache: LRUCache<string, SubjectKeyState>,
  ) {
    this.pool = connection.pool;
    this.masterKeyId = masterKeyId(masterKey);
  }

  async seal(subjectId: string, personal: unknown): Promise<SealedPersonalData> {
    checkSubjectId(subjectId);
    const plaintext = canonicalPersonal(personal);
    const subject = await this.subjectKey(subjectId, { create: true });
    if (subject.state === 'erased') {
      throw new PersonalDataError('subject-erased', 'subjectId', `subjectId: the personal data of ${subjectId} is erased; no personal data is accepted for it any more`);
    }
    return sealPlaintext(subject.keys, subjectId, plaintext);
  }

  async open(subjectId: string, sealed: unknown): Promise<PersonalData | null> {
    checkSubjectId(subjectId);
    const value = parseSealed(sealed);
    const subject = await this.subjectKey(subjectId, { create: false });
    if (subject === null) throw new PersonalDataError('unknown-key', 'subjectId', `subjectId: ${subjectId} has no data key (sealed for another subject?)`);
    if (subject.state === 'erased') return null;
    if (subject.keys.version !== value.key) {
      throw new PersonalDataError('unknown-key', 'personal.key', `personal.key: ${subjectId} has no data key version ${value.key}`);
    }
    return parsePersonal(openSealed(subject.keys, subjectId, value));
  }

  async erase(subjectId: string): Promise<Date> {
    checkSubjectId(subjectId);
    this.erasureEdges += 1;
    try {
      // A subject never sealed for gets its tombstone too, so that nothing is sealed for it later.
      const { rows } = await this.pool.query<{ erased_at: Date }>(
        `INSERT INTO personal_data_keys (subject_id, erased_at) VALUES ($1, now())
         ON CONFLICT (subject_id) DO UPDATE
           SET wrapped_key = NULL, master_key_id = NULL, erased_at = COALESCE(personal_data_keys.erased_at, EXCLUDED.erased_at)
         RETURNING erased_at`,
        [subjectId],
      );
      this.cache.set(subjectId, { state: 'erased' });
      return rows[0].erased_at;
    } finally {
      this.erasureEdges += 1;
    }
  }

  async isErased(subjectId: string): Promise<boolean> {
    checkSubjectId(subjectId);
    if (this.cache.get(subjectId)?.state === 'erased') return true;
    const { rows } = await this.pool.query<{ erased: boolean }>('SELECT erased_at IS NOT NULL AS erased FROM personal_data_keys WHERE subject_id = $1', [
      subjectId,
    ]);
    return rows[0]?.erased ?? false;
  }

  async close(): Promise<void> {
    this.cache.clear();
    await this.connection.release();
  }

  /** The subject's key from the cache or the table; with `create`, a new key when the subject has none. */
  private async subjectKey(subjectId: string, options: { create: true }): Promise<SubjectKeyState>;
  private async subjectKey(subjectId: string, options: { create: false }): Promise<SubjectKeyState | null>;
  private async subjectKey(subjectId: string, { create }: { create: boolean }): Promise<SubjectKeyState | null> {
    const cached = this.cache.get(subjectId);
    if (cached) return cached;
    const edges = this.erasureEdges;
    const row = (await this.readKey(subjectId)) ?? (create ? await this.createKey(subjectId) : null);
    if (row === null) return null;
    const subject = this.stateOf(subjectId, row);
    if (edges === this.erasureEdges) this.cache.set(subjectId, subject);
    return subject;
  }

  private async readKey(subjectId: string): Promise<KeyRow | null> {
    const { rows } = await this.pool.query<KeyRow>(SELECT_KEY, [subjectId]);
    return rows[0] ?? null;
  }

  /**
   * Two first seals of one subject (here or in another process) may race: each offers its own
   * key, the primary key keeps the first, and the loser reads the winner's in a new statement
   * (whose snapshot, unlike the INSERT's, sees the winner's commit).
   */
  private async createKey(subjectId: string): Promise<KeyRow> {
    const wrapped = wrapDataKey(this.masterKey, subjectId, FIRST_KEY_VERSION, newDataKey());
    const { rows } = await this.pool.query<KeyRow>(
      `INSERT INTO personal_data_keys (subject_id, key_version, master_key_id, wrapped_key) VALUES ($1, $2, $3, $4)
       ON CONFLICT (subject_id) DO NOTHING
       RETURNING key_version, master_key_id, wrapped_key, erased_at`,
      [subjectId, FIRST_KEY_VERSION, this.masterKeyId, wrapped],
    );
    if (rows.length > 0) return rows[0];
    return (await this.pool.query<KeyRow>(SELECT_KEY, [subjectId])).rows[0];
  }

  private stateOf(subjectId: string, row: KeyRow): SubjectKeyState {
    if (row.erased_at !== null || row.wrapped_key === null) return { state: 'erased' };
    if (row.master_key_id !== this.masterKeyId) {
      throw new PersonalDataError(
        'wrong-master-key',
        'masterKey',
        `masterKey: the data key of subject ${subjectId} is wrapped by master key ${row.master_key_id}, this vault holds master key ${this.masterKeyId}`,
      );
    }
    const dataKey = unwrapDataKey(this.masterKey, subjectId, row.key_version, row.wrapped_key);
    return { state: 'active', keys: deriveSubjectKeys(dataKey, row.key_version) };
  }
}

function checkSubjectId(subjectId: unknown): asserts subjectId is string {
  if (typeof subjectId !== 'string' || subjectId.trim() === '') {
    throw new PersonalDataError('invalid-subject', 'subjectId', 'subjectId: must be a non-empty string (a child or carer id)');
  }
}
