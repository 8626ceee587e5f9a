import { createCipheriv, createDecipheriv, createHmac, hkdfSync } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import type { PersonalData, SealedPersonalData } from '../personal-data-vault';
import { PersonalDataError } from '../personal-data-vault';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The two independent subkeys of one subject's data key, and that key's version. */
export interface SubjectKeys {
  readonly version: number;
  readonly macKey: Buffer;
  readonly encKey: Buffer;
}

export function deriveSubjectKeys(dataKey: Buffer, version: number): SubjectKeys {
  return { version, macKey: hkdf(dataKey, 'lbc/personal-data/v1/mac'), encKey: hkdf(dataKey, 'lbc/personal-data/v1/enc') };
}

// The data key is uniformly random, so HKDF needs no salt; the info strings separate the subkeys.
function hkdf(dataKey: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), info, KEY_BYTES));
}

/** RFC 8785 canonical JSON of `personal`, refusing anything that is not a JSON object, naming the field. */
export function canonicalPersonal(personal: unknown): Buffer {
  if (!isPlainObject(personal)) throw new PersonalDataError('invalid-personal', 'personal', 'personal: must be a JSON object');
  assertJson(personal, 'personal');
  return Buffer.from(canonicalize(personal), 'utf8');
}

function assertJson(value: unknown, field: string): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new PersonalDataError('invalid-personal', field, `${field}: must be a finite number`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => assertJson(item, `${field}[${i}]`));
    return;
  }
  if (isPlainObject(value)) {
    // An absent optional field may arrive as `undefined`; like JSON, it is simply not there.
    for (const [key, item] of Object.entries(value)) if (item !== undefined) assertJson(item, `${field}.${key}`);
    return;
  }
  throw new PersonalDataError('invalid-personal', field, `${field}: not a JSON value`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Deterministic authenticated encryption (the SIV construction of RFC 5297, over AES-256-GCM).
 *
 * Why this is safe although GCM must never reuse an IV under one key: the IV is a PRF (HMAC-SHA256
 * under a key used for nothing else) of the plaintext, so two distinct plaintexts get the same
 * 96-bit IV only by a collision of that PRF, negligible for the few values one subject ever has.
 * Identical plaintexts get the identical IV and so the identical ciphertext: an observer learns
 * that two sealed values are equal, and nothing more. That equality is wanted: the event store
 * recognises a resent event by comparing stored content. The subject id and key version are bound
 * as additional data, so a sealed value moved to another subject fails authentication.
 */
export function sealPlaintext(keys: SubjectKeys, subjectId: string, plaintext: Buffer): SealedPersonalData {
  const iv = createHmac('sha256', keys.macKey).update(plaintext).digest().subarray(0, IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keys.encKey, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(subjectId, keys.version));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { v: 1, key: keys.version, iv: iv.toString('base64'), ct: ct.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}

/** The plaintext of a sealed value; throws `tampered` when it was altered or sealed for another subject or key. */
export function openSealed(keys: SubjectKeys, subjectId: string, sealed: SealedPersonalData): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', keys.encKey, Buffer.from(sealed.iv, 'base64'), { authTagLength: TAG_BYTES });
  decipher.setAAD(additionalData(subjectId, keys.version));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(sealed.ct, 'base64')), decipher.final()]);
  } catch {
    throw new PersonalDataError('tampered', 'personal', `personal: does not authenticate for subject ${subjectId} (altered, or sealed for another subject)`);
  }
}

function additionalData(subjectId: string, version: number): Buffer {
  return Buffer.from(`lbc/personal-data/v1\0${version}\0${subjectId}`, 'utf8');
}

/** Checks the shape of a stored sealed value, naming the faulty field. */
export function parseSealed(value: unknown): SealedPersonalData {
  if (!isPlainObject(value)) throw new PersonalDataError('invalid-sealed', 'personal', 'personal: not a sealed value');
  const extra = Object.keys(value).filter((key) => !['v', 'key', 'iv', 'ct', 'tag'].includes(key));
  if (extra.length > 0) throw new PersonalDataError('invalid-sealed', `personal.${extra[0]}`, `personal.${extra[0]}: unknown field of a sealed value`);
  if (value['v'] !== 1) throw new PersonalDataError('invalid-sealed', 'personal.v', 'personal.v: must be 1');
  const key = value['key'];
  if (typeof key !== 'number' || !Number.isSafeInteger(key) || key < 1) {
    throw new PersonalDataError('invalid-sealed', 'personal.key', 'personal.key: must be a positive integer');
  }
  return { v: 1, key, iv: base64Field(value, 'iv', IV_BYTES), ct: base64Field(value, 'ct', null), tag: base64Field(value, 'tag', TAG_BYTES) };
}

function base64Field(value: Record<string, unknown>, name: string, bytes: number | null): string {
  const text = value[name];
  const field = `personal.${name}`;
  if (typeof text !== 'string' || !BASE64.test(text)) throw new PersonalDataError('invalid-sealed', field, `${field}: must be base64`);
  if (bytes !== null && Buffer.from(text, 'base64').length !== bytes) {
    throw new PersonalDataError('invalid-sealed', field, `${field}: must be ${bytes} bytes`);
  }
  return text;
}

/** The plaintext object of an opened value. */
export function parsePersonal(plaintext: Buffer): PersonalData {
  return JSON.parse(plaintext.toString('utf8')) as PersonalData;
}
