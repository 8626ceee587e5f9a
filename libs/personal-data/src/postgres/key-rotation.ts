import type { Pool, PoolClient } from 'pg';
import { unwrapDataKey, wrapDataKey } from '../crypto/key-wrap';
import type { KeyDirectory } from '../keyring/key-directory';
import { inTransaction, withClient } from '@lbc/postgres';
import { PersonalDataError } from '../personal-data-vault';

// Rows rewrapped per transaction: for 10,000 keys, 500 a batch took 2.0 s, 2,000 took 0.8–1.3 s (back to back, loaded two-core machine).
const BATCH = 2000;
const LOCK = "pg_advisory_lock(hashtextextended('lbc/personal-data/key-rotation', 0))";
const UNLOCK = "pg_advisory_unlock(hashtextextended('lbc/personal-data/key-rotation', 0))";

/**
 * Which key wraps a row's data key, by the row's `kek_id`: a KEK of the key directory or, for
 * keys wrapped before the keyring existed, the master key itself (its `masterKeyId`).
 */
export interface Keyring {
  readonly directory: KeyDirectory;
  readonly legacyId: string;
  readonly masterKey: Buffer;
}

export function wrappingKey(keyring: Keyring, kekId: string): Buffer | undefined {
  return kekId === keyring.legacyId ? keyring.masterKey : keyring.directory.get(kekId);
}

export function missingKek(kekId: string): PersonalDataError {
  return new PersonalDataError(
    'missing-key-encryption-key',
    'keyDir',
    `keyDir: the key-encryption key ${kekId} is not in the key directory (wrong KEY_DIR, or its files were lost)`,
  );
}

/**
 * Makes the keyring consistent, one process at a time (a session advisory lock): creates the first
 * KEK, and rotates when an erased subject's key was wrapped by a KEK that still exists, when a KEK
 * other than the current one is left (a rotation that died half-way), or when a live key is
 * wrapped by anything but the current KEK (keys from before the keyring). `onlyErasures`: after an
 * erasure, only the first reason is looked for.
 */
export function settleKeyring(pool: Pool, keyring: Keyring, { onlyErasures }: { onlyErasures: boolean }): Promise<void> {
  // A failed session may still hold the lock: ending it (destroyOnFailure) releases the lock for sure.
  return withClient(
    pool,
    async (client) => {
      await client.query(`SELECT ${LOCK}`);
      try {
        await keyring.directory.sweep();
        await keyring.directory.reload();
        const current = await currentKek(client, keyring);
        if (await needsRotation(client, keyring, current, onlyErasures)) await rotate(client, keyring);
      } finally {
        await client.query(`SELECT ${UNLOCK}`);
      }
    },
    { destroyOnFailure: true },
  );
}

async function currentKek(client: PoolClient, keyring: Keyring): Promise<string> {
  const { rows } = await client.query<{ current_kek: string }>('SELECT current_kek FROM personal_data_keyring');
  if (rows.length > 0) {
    if (!keyring.directory.get(rows[0].current_kek)) throw missingKek(rows[0].current_kek);
    return rows[0].current_kek;
  }
  const first = await keyring.directory.create();
  await client.query('INSERT INTO personal_data_keyring (current_kek) VALUES ($1)', [first]);
  return first;
}

async function needsRotation(client: PoolClient, keyring: Keyring, current: string, onlyErasures: boolean): Promise<boolean> {
  const { rows } = await client.query<{ erased: boolean; stale: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM personal_data_keys WHERE erased_kek IS NOT NULL) AS erased,
            EXISTS (SELECT 1 FROM personal_data_keys WHERE kek_id <> $1) AS stale`,
    [current],
  );
  if (onlyErasures) return rows[0].erased;
  return rows[0].erased || rows[0].stale || keyring.directory.ids().some((id) => id !== current);
}

/**
 * New KEK on disk → made current (waiting for first seals that read the old one to commit, see
 * the vault's createKey) → every live key rewrapped → the other KEKs destroyed. A crash at any
 * step leaves every live key wrapped by a KEK still on disk, and the next start finishes the job.
 */
async function rotate(client: PoolClient, keyring: Keyring): Promise<void> {
  const next = await keyring.directory.create();
  await client.query('UPDATE personal_data_keyring SET current_kek = $1', [next]);
  await rewrapEveryLiveKey(client, keyring, next);
  // An erasure that committed after its row was rewrapped names `next`: it stays pending.
  await client.query('UPDATE personal_data_keys SET erased_kek = NULL WHERE erased_kek IS NOT NULL AND erased_kek <> $1', [next]);
  for (const id of keyring.directory.ids()) if (id !== next) await keyring.directory.destroy(id);
}

async function rewrapEveryLiveKey(client: PoolClient, keyring: Keyring, next: string): Promise<void> {
  const nextKey = wrappingKey(keyring, next) as Buffer;
  for (;;) {
    const rewrapped = await inTransaction(client, async () => {
      // FOR UPDATE waits for a concurrent erasure, after which the erased row no longer matches.
      const { rows } = await client.query<{ subject_id: string; key_version: number; kek_id: string; wrapped_key: Buffer }>(
        `SELECT subject_id, key_version, kek_id, wrapped_key FROM personal_data_keys
         WHERE kek_id <> $1 AND wrapped_key IS NOT NULL ORDER BY subject_id LIMIT ${BATCH} FOR UPDATE`,
        [next],
      );
      const wrapped = rows.map((row) => {
        const key = wrappingKey(keyring, row.kek_id);
        if (!key) throw missingKek(row.kek_id);
        return wrapDataKey(nextKey, row.subject_id, row.key_version, unwrapDataKey(key, row.subject_id, row.key_version, row.wrapped_key));
      });
      await client.query(
        `UPDATE personal_data_keys AS k SET wrapped_key = n.wrapped_key, kek_id = $3
         FROM unnest($1::text[], $2::bytea[]) AS n (subject_id, wrapped_key) WHERE k.subject_id = n.subject_id`,
        [rows.map((row) => row.subject_id), wrapped, next],
      );
      return rows.length;
    });
    if (rewrapped < BATCH) return;
  }
}
