import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { PersonalDataError } from '../personal-data-vault';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A copy of the 32-byte master key, or a clear error. */
export function checkMasterKey(masterKey: Uint8Array, field = 'masterKey'): Buffer {
  if (!(masterKey instanceof Uint8Array) || masterKey.length !== KEY_BYTES) {
    throw new PersonalDataError('invalid-master-key', field, `${field}: must be ${KEY_BYTES} bytes`);
  }
  return Buffer.from(masterKey);
}

/**
 * A public name of a master key: rows stored before the keyring name the master key that wrapped
 * them directly by it, so that the first start finds them and rewraps them under a KEK.
 * A truncated HMAC under the key itself reveals nothing about it.
 */
export function masterKeyId(masterKey: Buffer): string {
  return createHmac('sha256', masterKey).update('lbc/personal-data/master-key-id').digest('hex').slice(0, 16);
}

export function newDataKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

/**
 * AES-256-GCM under a key-encryption key with a random IV (a data key is wrapped once per KEK, so
 * no determinism is wanted here). The subject id and key version are bound as additional data, so a
 * wrapped key copied to another subject's row does not unwrap. Layout: IV ‖ ciphertext ‖ tag.
 */
export function wrapDataKey(kek: Buffer, subjectId: string, version: number, dataKey: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', kek, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(subjectId, version));
  const ct = Buffer.concat([cipher.update(dataKey), cipher.final()]);
  return Buffer.concat([iv, ct, cipher.getAuthTag()]);
}

export function unwrapDataKey(kek: Buffer, subjectId: string, version: number, wrapped: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', kek, wrapped.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
  decipher.setAAD(additionalData(subjectId, version));
  decipher.setAuthTag(wrapped.subarray(wrapped.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(wrapped.subarray(IV_BYTES, wrapped.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new PersonalDataError('wrong-master-key', null, `the data key of subject ${subjectId} does not unwrap with this master key (wrong key-encryption key, or the stored key was altered)`);
  }
}

function additionalData(subjectId: string, version: number): Buffer {
  return Buffer.from(`lbc/personal-data/wrap/v1\0${version}\0${subjectId}`, 'utf8');
}
