import { checkMasterKey, masterKeyId, unwrapDataKey, wrapDataKey } from '../crypto/key-wrap';
import { PersonalDataError } from '../personal-data-vault';
import type { Connection } from './connection';
import { openConnection } from './connection';

const BATCH = 500;

/**
 * Master key rotation: rewraps every live data key wrapped by `oldMasterKey` under `newMasterKey`,
 * a batch per transaction, and returns how many it rewrapped. Data keys themselves do not change,
 * so sealed values stay valid and sealing stays deterministic. Running vaults keep their cached
 * keys but must restart with the new master key to load others. Safe to rerun: a second run
 * rewraps what the first missed (such as keys created meanwhile under the old master key).
 */
export async function rewrapAll(connection: Connection, oldMasterKey: Uint8Array, newMasterKey: Uint8Array): Promise<number> {
  const oldKey = checkMasterKey(oldMasterKey, 'oldMasterKey');
  const newKey = checkMasterKey(newMasterKey, 'newMasterKey');
  const oldId = masterKeyId(oldKey);
  const newId = masterKeyId(newKey);
  if (oldId === newId) throw new PersonalDataError('invalid-master-key', 'newMasterKey', 'newMasterKey: must differ from oldMasterKey');
  const { pool, release } = openConnection(connection);
  let rewrapped = 0;
  try {
    for (;;) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        // FOR UPDATE waits for a concurrent erasure, after which the erased row no longer matches.
        const { rows } = await client.query<{ subject_id: string; key_version: number; wrapped_key: Buffer }>(
          `SELECT subject_id, key_version, wrapped_key FROM personal_data_keys
           WHERE master_key_id = $1 AND wrapped_key IS NOT NULL ORDER BY subject_id LIMIT ${BATCH} FOR UPDATE`,
          [oldId],
        );
        const wrapped = rows.map((row) =>
          wrapDataKey(newKey, row.subject_id, row.key_version, unwrapDataKey(oldKey, row.subject_id, row.key_version, row.wrapped_key)),
        );
        await client.query(
          `UPDATE personal_data_keys AS k SET wrapped_key = n.wrapped_key, master_key_id = $3
           FROM unnest($1::text[], $2::bytea[]) AS n (subject_id, wrapped_key) WHERE k.subject_id = n.subject_id`,
          [rows.map((row) => row.subject_id), wrapped, newId],
        );
        await client.query('COMMIT');
        rewrapped += rows.length;
        if (rows.length < BATCH) return rewrapped;
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }
    }
  } finally {
    await release();
  }
}
