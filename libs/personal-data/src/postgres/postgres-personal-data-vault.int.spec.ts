import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { TestDatabase } from '@lbc/testing';
import { createTestDatabase } from '@lbc/testing';
import { unwrapDataKey } from '../crypto/key-wrap';
import { canonicalPersonal, deriveSubjectKeys, sealPlaintext } from '../crypto/sealed-box';
import type { PersonalDataError, PersonalDataVault, SealedPersonalData } from '../personal-data-vault';
import { createPersonalDataVault, migratePersonalData } from './postgres-personal-data-vault';
import { rewrapAll } from './rewrap-all';

const MASTER = Buffer.alloc(32, 0x5a);
const OTHER_MASTER = Buffer.alloc(32, 0xa5);
const child = () => randomUUID();
const personal = { name: '李小花', homeAddress: '四川省旺苍县东河镇', guardian: { name: '李爷爷', relation: 'grandfather', phone: '13800000000' } };

function refusal(promise: Promise<unknown>): Promise<[string, string | null] | null> {
  return promise.then(
    () => null,
    (error: PersonalDataError) => [error.code, error.field],
  );
}

// Real PostgreSQL on a shared two-core machine: allow for a busy neighbour.
jest.setTimeout(30_000);

describe('PostgreSQL personal data vault', () => {
  let db: TestDatabase;
  let pool: Pool;
  let vault: PersonalDataVault;
  const opened: PersonalDataVault[] = [];
  /** Another vault with a pool of its own, as in another process. */
  const open = async (masterKey: Buffer, cacheSize?: number) => {
    const another = await createPersonalDataVault({ pool: db.pool(), masterKey, cacheSize });
    opened.push(another);
    return another;
  };
  const rowCount = async () => (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM personal_data_keys')).rows[0].n;

  beforeAll(async () => {
    db = await createTestDatabase();
    await migratePersonalData(db.url);
    pool = db.pool();
    vault = await createPersonalDataVault({ pool, masterKey: MASTER });
  });
  afterAll(async () => {
    await Promise.all([vault, ...opened].map((v) => v.close()));
    await db.drop();
  });

  it('opens what it sealed, also after the sealed value travelled as JSON', async () => {
    const subject = child();
    const sealed = await vault.seal(subject, personal);
    expect(sealed).toEqual({ v: 1, key: 1, iv: expect.any(String), ct: expect.any(String), tag: expect.any(String) });
    expect(JSON.stringify(sealed)).not.toContain('李');
    expect(await vault.open(subject, JSON.parse(JSON.stringify(sealed)))).toEqual(personal);
    expect(await (await open(MASTER)).open(subject, sealed)).toEqual(personal);
  });

  it('seals deterministically for one subject and content, in any key order and any process', async () => {
    const subject = child();
    const sealed = await vault.seal(subject, personal);
    const reordered = { guardian: { phone: '13800000000', relation: 'grandfather', name: '李爷爷' }, homeAddress: '四川省旺苍县东河镇', name: '李小花' };
    expect(await vault.seal(subject, reordered)).toEqual(sealed);
    expect(await (await open(MASTER)).seal(subject, personal)).toEqual(sealed);
    expect(await vault.seal(subject, { ...personal, name: '李小草' })).not.toEqual(sealed);
    const elsewhere = await vault.seal(child(), personal);
    expect(elsewhere.ct).not.toBe(sealed.ct);
    expect(elsewhere.iv).not.toBe(sealed.iv);
  });

  it('after erasure opens nothing, refuses new personal data and says it is erased, idempotently', async () => {
    const subject = child();
    const sealed = await vault.seal(subject, personal);
    const elsewhere = await open(MASTER);
    expect(await elsewhere.open(subject, sealed)).toEqual(personal);
    expect(await vault.isErased(subject)).toBe(false);

    const erasedAt = await vault.erase(subject);
    expect(await vault.open(subject, sealed)).toBeNull();
    expect(await (await open(MASTER)).open(subject, sealed)).toBeNull();
    expect(await refusal(vault.seal(subject, personal))).toEqual(['subject-erased', 'subjectId']);
    expect(await refusal((await open(MASTER)).seal(subject, { notes: '新内容' }))).toEqual(['subject-erased', 'subjectId']);
    expect(await vault.isErased(subject)).toBe(true);
    expect(await (await open(MASTER)).isErased(subject)).toBe(true);

    expect(await elsewhere.erase(subject)).toEqual(erasedAt);
    const { rows } = await pool.query('SELECT wrapped_key, master_key_id, erased_at FROM personal_data_keys WHERE subject_id = $1', [subject]);
    expect(rows).toEqual([{ wrapped_key: null, master_key_id: null, erased_at: erasedAt }]);
  });

  it('keeps a tombstone for a subject erased before anything was sealed for it', async () => {
    const subject = child();
    expect(await vault.isErased(subject)).toBe(false);
    await vault.erase(subject);
    expect(await vault.isErased(subject)).toBe(true);
    expect(await refusal(vault.seal(subject, personal))).toEqual(['subject-erased', 'subjectId']);
  });

  it('detects tampering and data sealed for another subject', async () => {
    const subject = child();
    const other = child();
    const sealed = await vault.seal(subject, personal);
    await vault.seal(other, { name: '张三' });
    const ct = Buffer.from(sealed.ct, 'base64');
    ct[ct.length - 1] ^= 1;
    expect(await refusal(vault.open(subject, { ...sealed, ct: ct.toString('base64') }))).toEqual(['tampered', 'personal']);
    expect(await refusal(vault.open(other, sealed))).toEqual(['tampered', 'personal']);
    expect(await refusal(vault.open(child(), sealed))).toEqual(['unknown-key', 'subjectId']);
    expect(await refusal(vault.open(subject, { ...sealed, key: 2 }))).toEqual(['unknown-key', 'personal.key']);
    expect(await refusal(vault.open(subject, { ...sealed, iv: 'x' }))).toEqual(['invalid-sealed', 'personal.iv']);
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const before = await rowCount();
    expect(await refusal(vault.seal(child(), 'plain text'))).toEqual(['invalid-personal', 'personal']);
    expect(await refusal(vault.seal(child(), { guardian: { age: Infinity } }))).toEqual(['invalid-personal', 'personal.guardian.age']);
    expect(await refusal(vault.seal('', personal))).toEqual(['invalid-subject', 'subjectId']);
    expect(await refusal(vault.erase(' '))).toEqual(['invalid-subject', 'subjectId']);
    expect(await rowCount()).toBe(before);
    expect(await refusal(createPersonalDataVault({ url: db.url, masterKey: Buffer.alloc(16) }))).toEqual(['invalid-master-key', 'masterKey']);
  });

  it('fails clearly with the wrong master key', async () => {
    const subject = child();
    const sealed = await vault.seal(subject, personal);
    const wrong = await open(OTHER_MASTER);
    const error = await wrong.open(subject, sealed).catch((e: PersonalDataError) => e);
    expect(error).toMatchObject({ code: 'wrong-master-key', field: 'masterKey' });
    expect((error as Error).message).toMatch(/wrapped by master key [0-9a-f]{16}, this vault holds master key [0-9a-f]{16}/);
    expect(await refusal(wrong.seal(subject, personal))).toEqual(['wrong-master-key', 'masterKey']);
  });

  it('gives concurrent first seals of one subject, in several processes, one key', async () => {
    const vaults = [vault, await open(MASTER), await open(MASTER), await open(MASTER)];
    const subjects = Array.from({ length: 25 }, child);
    const sealed = await Promise.all(subjects.map((subject) => Promise.all(vaults.map((v) => v.seal(subject, personal)))));
    for (const perVault of sealed) for (const value of perVault) expect(value).toEqual(perVault[0]);
    const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM personal_data_keys WHERE subject_id = ANY($1)', [subjects]);
    expect(rows[0].n).toBe(subjects.length);
  });

  it('stores only the wrapped key: neither the data key nor any personal data is in the table', async () => {
    const subject = child();
    const sealed = await vault.seal(subject, personal);
    const { rows } = await pool.query('SELECT * FROM personal_data_keys WHERE subject_id = $1', [subject]);
    expect(Object.keys(rows[0]).sort()).toEqual(['created_at', 'erased_at', 'key_version', 'master_key_id', 'subject_id', 'wrapped_key']);
    const wrapped: Buffer = rows[0].wrapped_key;
    expect(wrapped).toHaveLength(60);
    const dataKey = unwrapDataKey(MASTER, subject, 1, wrapped);
    // The unwrapped key is the one the vault seals with, and it appears nowhere in the row.
    expect(sealPlaintext(deriveSubjectKeys(dataKey, 1), subject, canonicalPersonal(personal))).toEqual(sealed);
    expect(wrapped.includes(dataKey)).toBe(false);
    expect(JSON.stringify(rows[0])).not.toContain(dataKey.toString('hex'));
    expect(JSON.stringify(rows[0])).not.toContain(dataKey.toString('base64'));
    const dump = await pool.query("SELECT string_agg(t::text, '\n') AS text FROM personal_data_keys t");
    expect(dump.rows[0].text).not.toContain('李');
  });

  it('evicts an erased subject from a small cache and still serves many subjects', async () => {
    const small = await open(MASTER, 2);
    const subjects = Array.from({ length: 6 }, child);
    const sealed: SealedPersonalData[] = [];
    for (const subject of subjects) sealed.push(await small.seal(subject, { name: subject }));
    for (const [i, subject] of subjects.entries()) expect(await small.open(subject, sealed[i])).toEqual({ name: subject });
    await small.erase(subjects[5]);
    expect(await small.open(subjects[5], sealed[5])).toBeNull();
    expect(await small.open(subjects[4], sealed[4])).toEqual({ name: subjects[4] });
  });

  it('never caches a key read before an erasure that finished first', async () => {
    const subject = child();
    const sealed = await vault.seal(subject, personal);
    // A real pool whose key reads are answered by PostgreSQL at once but delivered late.
    const slowReads = db.pool();
    const query = slowReads.query.bind(slowReads) as (text: string, values?: unknown[]) => Promise<unknown>;
    let deliver!: () => void;
    const delivered = new Promise<void>((resolve) => (deliver = resolve));
    let answered!: () => void;
    const readAnswered = new Promise<void>((resolve) => (answered = resolve));
    Object.assign(slowReads, {
      query: async (text: string, values?: unknown[]) => {
        const result = await query(text, values);
        if (text.startsWith('SELECT')) {
          answered();
          await delivered;
        }
        return result;
      },
    });
    const fresh = await createPersonalDataVault({ pool: slowReads, masterKey: MASTER });
    opened.push(fresh);

    const opening = fresh.open(subject, sealed);
    await readAnswered;
    await fresh.erase(subject);
    deliver();
    expect(await opening).toEqual(personal);
    expect(await fresh.open(subject, sealed)).toBeNull();
  });

  it('rewraps every live key under a new master key; sealed values stay valid and deterministic', async () => {
    const rotation = await createTestDatabase();
    try {
      const before = await createPersonalDataVault({ url: rotation.url, masterKey: MASTER });
      const subjects = Array.from({ length: 3 }, child);
      const sealed = await Promise.all(subjects.map((subject) => before.seal(subject, personal)));
      await before.erase(subjects[2]);
      await before.close();

      expect(await refusal(rewrapAll({ url: rotation.url }, MASTER, MASTER))).toEqual(['invalid-master-key', 'newMasterKey']);
      expect(await rewrapAll({ url: rotation.url }, MASTER, OTHER_MASTER)).toBe(2);
      expect(await rewrapAll({ url: rotation.url }, MASTER, OTHER_MASTER)).toBe(0);

      const after = await createPersonalDataVault({ url: rotation.url, masterKey: OTHER_MASTER });
      const old = await createPersonalDataVault({ url: rotation.url, masterKey: MASTER });
      try {
        expect(await after.open(subjects[0], sealed[0])).toEqual(personal);
        expect(await after.seal(subjects[1], personal)).toEqual(sealed[1]);
        expect(await after.open(subjects[2], sealed[2])).toBeNull();
        expect(await refusal(old.open(subjects[0], sealed[0]))).toEqual(['wrong-master-key', 'masterKey']);
      } finally {
        await Promise.all([after.close(), old.close()]);
      }
    } finally {
      await rotation.drop();
    }
  });
});
