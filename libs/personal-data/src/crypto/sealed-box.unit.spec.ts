import { refusalOf } from '../testing/refusal';
import { canonicalPersonal, deriveSubjectKeys, openSealed, parsePersonal, parseSealed, sealPlaintext } from './sealed-box';

const CHILD = '0b7c6a52-1c1e-4e7f-9a51-2f0d3c2b9e11';
const OTHER_CHILD = '7e3d0b7a-5f0e-4c52-8b1e-0c7a9d4e2f33';
const keys = deriveSubjectKeys(Buffer.alloc(32, 1), 1);
const personal = { name: '王小明', guardian: { name: '王奶奶', relation: 'grandmother', age: 68 } };

describe('sealed box', () => {
  it('derives independent MAC and encryption subkeys from the data key', () => {
    expect(keys.macKey).toHaveLength(32);
    expect(keys.encKey).toHaveLength(32);
    expect(keys.macKey.equals(keys.encKey)).toBe(false);
    expect(keys.encKey.equals(Buffer.alloc(32, 1))).toBe(false);
    expect(deriveSubjectKeys(Buffer.alloc(32, 1), 1).encKey.equals(keys.encKey)).toBe(true);
  });

  it('canonicalises personal data (RFC 8785), so key order does not change the plaintext', () => {
    const reordered = { guardian: { age: 68, relation: 'grandmother', name: '王奶奶' }, name: '王小明', nickname: undefined };
    expect(canonicalPersonal(reordered).equals(canonicalPersonal(personal))).toBe(true);
    expect(canonicalPersonal(personal).toString('utf8')).toBe('{"guardian":{"age":68,"name":"王奶奶","relation":"grandmother"},"name":"王小明"}');
  });

  it('refuses personal data that is not a JSON object, naming the field', () => {
    expect(refusalOf(() => canonicalPersonal('王小明'))).toEqual(['invalid-personal', 'personal']);
    expect(refusalOf(() => canonicalPersonal([personal]))).toEqual(['invalid-personal', 'personal']);
    expect(refusalOf(() => canonicalPersonal(null))).toEqual(['invalid-personal', 'personal']);
    expect(refusalOf(() => canonicalPersonal({ guardian: { age: NaN } }))).toEqual(['invalid-personal', 'personal.guardian.age']);
    expect(refusalOf(() => canonicalPersonal({ parents: [{ since: new Date(0) }] }))).toEqual(['invalid-personal', 'personal.parents[0].since']);
    expect(refusalOf(() => canonicalPersonal({ notes: () => 'x' }))).toEqual(['invalid-personal', 'personal.notes']);
  });

  it('seals deterministically: same subject and content give the same value, other content or subject another', () => {
    const plaintext = canonicalPersonal(personal);
    const sealed = sealPlaintext(keys, CHILD, plaintext);
    expect(sealed).toEqual({ v: 1, key: 1, iv: expect.any(String), ct: expect.any(String), tag: expect.any(String) });
    expect(sealPlaintext(keys, CHILD, Buffer.from(plaintext))).toEqual(sealed);
    const other = sealPlaintext(keys, CHILD, canonicalPersonal({ ...personal, name: '王小红' }));
    expect(other.iv).not.toBe(sealed.iv);
    expect(other.ct).not.toBe(sealed.ct);
    expect(sealPlaintext(keys, OTHER_CHILD, plaintext).tag).not.toBe(sealed.tag);
    expect(Buffer.from(sealed.ct, 'base64').toString('utf8')).not.toContain('王');
  });

  it('opens what it sealed', () => {
    const sealed = sealPlaintext(keys, CHILD, canonicalPersonal(personal));
    expect(parsePersonal(openSealed(keys, CHILD, parseSealed(sealed)))).toEqual(personal);
  });

  it('detects tampering, another subject, another key or another key version', () => {
    const sealed = sealPlaintext(keys, CHILD, canonicalPersonal(personal));
    const ct = Buffer.from(sealed.ct, 'base64');
    ct[0] ^= 1;
    expect(refusalOf(() => openSealed(keys, CHILD, { ...sealed, ct: ct.toString('base64') }))).toEqual(['tampered', 'personal']);
    const tag = Buffer.from(sealed.tag, 'base64');
    tag[15] ^= 0x80;
    expect(refusalOf(() => openSealed(keys, CHILD, { ...sealed, tag: tag.toString('base64') }))).toEqual(['tampered', 'personal']);
    expect(refusalOf(() => openSealed(keys, OTHER_CHILD, sealed))).toEqual(['tampered', 'personal']);
    expect(refusalOf(() => openSealed(deriveSubjectKeys(Buffer.alloc(32, 2), 1), CHILD, sealed))).toEqual(['tampered', 'personal']);
    expect(refusalOf(() => openSealed(deriveSubjectKeys(Buffer.alloc(32, 1), 2), CHILD, sealed))).toEqual(['tampered', 'personal']);
  });

  it('checks the shape of a sealed value, naming the field', () => {
    const sealed = sealPlaintext(keys, CHILD, canonicalPersonal(personal));
    expect(parseSealed(JSON.parse(JSON.stringify(sealed)))).toEqual(sealed);
    expect(refusalOf(() => parseSealed(personal))).toEqual(['invalid-sealed', 'personal.name']);
    expect(refusalOf(() => parseSealed('sealed'))).toEqual(['invalid-sealed', 'personal']);
    expect(refusalOf(() => parseSealed({ ...sealed, v: 2 }))).toEqual(['invalid-sealed', 'personal.v']);
    expect(refusalOf(() => parseSealed({ ...sealed, key: 0 }))).toEqual(['invalid-sealed', 'personal.key']);
    expect(refusalOf(() => parseSealed({ ...sealed, iv: Buffer.alloc(16).toString('base64') }))).toEqual(['invalid-sealed', 'personal.iv']);
    expect(refusalOf(() => parseSealed({ ...sealed, ct: 'not base64!' }))).toEqual(['invalid-sealed', 'personal.ct']);
    expect(refusalOf(() => parseSealed({ ...sealed, tag: undefined }))).toEqual(['invalid-sealed', 'personal.tag']);
  });
});
