import type { Pool, PoolClient } from 'pg';
import { runMigrations, transaction } from '@lbc/postgres';
import { checkMasterKey, masterKeyId, newDataKey, unwrapDataKey, wrapDataKey } from '../crypto/key-wrap';
import type { SubjectKeys } from '../crypto/sealed-box';
import { canonicalPersonal, deriveSubjectKeys, openSealed, parsePersonal, parseSealed, sealPlaintext } from '../crypto/sealed-box';
import { LRUCache } from 'lru-cache';
import type { PersonalData, PersonalDataVault, SealedPersonalData } from '../personal-data-vault';
import { PersonalDataError } from '../personal-data-vault';
import type { Connection, OpenConnection } from './connection';
import { openConnection } from './connection';
import { KeyDirectory } from '../keyring/key-directory';
import type { Keyring } from './key-rotation';
import { missingKek, settleKeyring, wrappingKey } from './key-rotation';
import { CreatePersonalDataKeys1735800000000 } from './migrations/1735800000000-create-personal-data-keys.migration';
import { AddPersonalDataKeyring1765000000000 } from './migrations/1765000000000-add-personal-data-keyring.migration';
import { CreatePersonalDataAccessLog1769000000000 } from './migrations/1769000000000-create-personal-data-access-log.migration';

const FIRST_KEY_VERSION = 1;
const DEFAULT_CACHE_SIZE = 10_000;
const SELECT_KEY = 'SELECT key_version, kek_id, wrapped_key, erased_at FROM personal_data_keys WHERE subject_id = $1';

export type PersonalDataVaultOptions = Connection & {
  /** 32 bytes; the app reads it from its configuration (MASTER_KEY). It seals the files of `keyDir`. */
  readonly masterKey: Uint8Array;
  /** The key-encryption keys, outside the database (KEY_DIR); shared by every process of one database. */
  readonly keyDir: string;
  /** How many subjects' unwrapped keys stay in memory. */
  readonly cacheSize?: number;
};

interface KeyRow {
  key_version: number;
  kek_id: string | null;
  wrapped_key: Buffer | null;
  erased_at: Date | null;
}

type SubjectKeyState = { readonly state: 'active'; readonly keys: SubjectKeys } | { readonly state: 'erased' };

export function migratePersonalData(url: string): Promise<void> {
  return runMigrations(url, 'personal_data_migrations', [CreatePersonalDataKeys1735800000000, AddPersonalDataKeyring1765000000000, CreatePersonalDataAccessLog1769000000000]);
}

/**
 * The PostgreSQL-backed vault. Given a URL it migrates its table and owns its pool; given a pool,
 * the caller has run `migratePersonalData` and closes the pool itself. Opening settles the keyring:
 * the first KEK, or the end of a rotation that a dead process left unfinished.
 */
export async function createPersonalDataVault(options: PersonalDataVaultOptions): Promise<PersonalDataVault> {
  const masterKey = checkMasterKey(options.masterKey);
  const cacheSize = options.cacheSize ?? DEFAULT_CACHE_SIZE;
  if (!Number.isSafeInteger(cacheSize) || cacheSize < 1) throw new RangeError('cacheSize: must be a positive integer');
  const cache = new LRUCache<string, SubjectKeyState>({ max: cacheSize });
  if ('url' in options) await migratePersonalData(options.url);
  const keyring: Keyring = { directory: await KeyDirectory.open(options.keyDir, masterKey), legacyId: masterKeyId(masterKey), masterKey };
  const connection = openConnection(options);
  try {
    await settleKeyring(connection.pool, keyring, { onlyErasures: false });
  } catch (error) {
    await connection.release();
    throw error;
  }
  return new PostgresPersonalDataVault(connection, keyring, cache);
}

class PostgresPersonalDataVault implements PersonalDataVault {
  private readonly pool: Pool;
  /**
   * Counts erasure starts and ends in this process: a key loaded while an erasure was under way
   * is used once but not cached, so the cache never outlives an erasure made here. (Another
   * process's erasure is seen when the key leaves this cache, or on restart.)
   */
  private erasureEdges = 0;

  constructor(
    private readonly connection: OpenConnection,
    private readonly keyring: Keyring,
    private readonly cache: LRUCache<string, SubjectKeyState>,
  ) {
    this.pool = connection.pool;
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

  /**
   * Returns once the erasure is final: the KEK that wrapped the subject's key (whose wrapped copies
   * PostgreSQL keeps in its pages and WAL) is destroyed by a rotation. Should the rotation fail,
   * the erasure stands and the next erasure, a resend of this one, or the next start rotates.
   */
  async erase(subjectId: string): Promise<Date> {
    checkSubjectId(subjectId);
    this.erasureEdges += 1;
    let erasedAt: Date;
    try {
      // A subject never sealed for gets its tombstone too, so that nothing is sealed for it later.
      const { rows } = await this.pool.query<{ erased_at: Date }>(
        `INSERT INTO personal_data_keys (subject_id, erased_at) VALUES ($1, now())
         ON CONFLICT (subject_id) DO UPDATE
           SET wrapped_key = NULL, kek_id = NULL,
               erased_kek = COALESCE(personal_data_keys.kek_id, personal_data_keys.erased_kek),
               erased_at = COALESCE(personal_data_keys.erased_at, EXCLUDED.erased_at)
         RETURNING erased_at`,
        [subjectId],
      );
      this.cache.set(subjectId, { state: 'erased' });
      erasedAt = rows[0].erased_at;
    } finally {
      this.erasureEdges += 1;
    }
    await settleKeyring(this.pool, this.keyring, { onlyErasures: true });
    return erasedAt;
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
    const subject = this.stateOf(subjectId, await this.withKnownKek(subjectId, row));
    if (edges === this.erasureEdges) this.cache.set(subjectId, subject);
    return subject;
  }

  private async readKey(subjectId: string): Promise<KeyRow | null> {
    const { rows } = await this.pool.query<KeyRow>(SELECT_KEY, [subjectId]);
    return rows[0] ?? null;
  }

  /** Another process rotated since this one read the key directory: reread it, and the row, whose KEK may have changed since. */
  private async withKnownKek(subjectId: string, row: KeyRow): Promise<KeyRow> {
    if (row.kek_id === null || wrappingKey(this.keyring, row.kek_id)) return row;
    await this.keyring.directory.reload();
    return (await this.readKey(subjectId)) ?? row;
  }

  private async currentKek(client: PoolClient): Promise<{ id: string; key: Buffer }> {
    const { rows } = await client.query<{ current_kek: string }>('SELECT current_kek FROM personal_data_keyring FOR SHARE');
    const id = rows[0].current_kek;
    if (!wrappingKey(this.keyring, id)) await this.keyring.directory.reload();
    const key = wrappingKey(this.keyring, id);
    if (!key) throw missingKek(id);
    return { id, key };
  }

  /**
   * Two first seals of one subject (here or in another process) may race: each offers its own
   * key, the primary key keeps the first, and the loser reads the winner's in a new statement
   * (whose snapshot, unlike the INSERT's, sees the winner's commit). The current KEK is read FOR
   * SHARE in the same transaction: a rotation switching to a new KEK waits until this key is
   * committed, so its rewrap finds it.
   */
  private async createKey(subjectId: string): Promise<KeyRow> {
    const inserted = await transaction(this.pool, async (client) => {
      const kek = await this.currentKek(client);
      const wrapped = wrapDataKey(kek.key, subjectId, FIRST_KEY_VERSION, newDataKey());
      const { rows } = await client.query<KeyRow>(
        `INSERT INTO personal_data_keys (subject_id, key_version, kek_id, wrapped_key) VALUES ($1, $2, $3, $4)
         ON CONFLICT (subject_id) DO NOTHING
         RETURNING key_version, kek_id, wrapped_key, erased_at`,
        [subjectId, FIRST_KEY_VERSION, kek.id, wrapped],
      );
      return rows;
    });
    if (inserted.length > 0) return inserted[0];
    return (await this.pool.query<KeyRow>(SELECT_KEY, [subjectId])).rows[0];
  }

  private stateOf(subjectId: string, row: KeyRow): SubjectKeyState {
    if (row.erased_at !== null || row.wrapped_key === null || row.kek_id === null) return { state: 'erased' };
    const kek = wrappingKey(this.keyring, row.kek_id);
    if (!kek) throw missingKek(row.kek_id);
    const dataKey = unwrapDataKey(kek, subjectId, row.key_version, row.wrapped_key);
    return { state: 'active', keys: deriveSubjectKeys(dataKey, row.key_version) };
  }
}

function checkSubjectId(subjectId: unknown): asserts subjectId is string {
  if (typeof subjectId !== 'string' || subjectId.trim() === '') {
    throw new PersonalDataError('invalid-subject', 'subjectId', 'subjectId: must be a non-empty string (a child or carer id)');
  }
}
