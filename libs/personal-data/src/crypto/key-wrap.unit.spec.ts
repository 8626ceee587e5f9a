import { refusalOf } from '../testing/refusal';
import { checkMasterKey, masterKeyId, newDataKey, unwrapDataKey, wrapDataKey } from './key-wrap';

const CARER = 'c7a1e0d2-3b4f-4a5e-9c8d-7e6f5a4b3c21';
const master = Buffer.alloc(32, 9);

describe('key wrapping', () => {
  it('wraps a data key so that only the same master key, subject and version unwrap it', () => {
    const dataKey = newDataKey();
    const wrapped = wrapDataKey(master, CARER, 1, dataKey);
    expect(wrapped).toHaveLength(12 + 32 + 16);
    expect(wrapped.includes(dataKey)).toBe(false);
    expect(unwrapDataKey(master, CARER, 1, wrapped).equals(dataKey)).toBe(true);
    expect(refusalOf(() => unwrapDataKey(Buffer.alloc(32, 8), CARER, 1, wrapped))).toEqual(['wrong-master-key', null]);
    expect(refusalOf(() => unwrapDataKey(master, 'another-carer', 1, wrapped))).toEqual(['wrong-master-key', null]);
    expect(refusalOf(() => unwrapDataKey(master, CARER, 2, wrapped))).toEqual(['wrong-master-key', null]);
  });

  it('uses a fresh IV for every wrap and a fresh random data key each time', () => {
    const dataKey = newDataKey();
    expect(wrapDataKey(master, CARER, 1, dataKey).equals(wrapDataKey(master, CARER, 1, dataKey))).toBe(false);
    expect(newDataKey().equals(dataKey)).toBe(false);
    expect(dataKey).toHaveLength(32);
  });

  it('names a master key by a stable id that is not the key', () => {
    expect(masterKeyId(master)).toMatch(/^[0-9a-f]{16}$/);
    expect(masterKeyId(Buffer.from(master))).toBe(masterKeyId(master));
    expect(masterKeyId(Buffer.alloc(32, 8))).not.toBe(masterKeyId(master));
    expect(master.toString('hex')).not.toContain(masterKeyId(master));
  });

  it('accepts only a 32-byte master key', () => {
    expect(checkMasterKey(new Uint8Array(master)).equals(master)).toBe(true);
    expect(refusalOf(() => checkMasterKey(Buffer.alloc(16)))).toEqual(['invalid-master-key', 'masterKey']);
    expect(refusalOf(() => checkMasterKey('secret' as never, 'newMasterKey'))).toEqual(['invalid-master-key', 'newMasterKey']);
  });
});
