import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pool, PoolClient } from 'pg';
import type { TestDatabase } from '@lbc/testing';
import { createTestDatabase } from '@lbc/testing';
import { masterKeyId, newDataKey, unwrapDataKey, wrapDataKey } from '../crypto/key-wrap';
import { KeyDirectory } from '../keyring/key-directory';
import { canonicalPersonal, deriveSubjectKeys, sealPlaintext } from '../crypto/sealed-box';
import type { PersonalDataError, PersonalDataVault, SealedPersonalData } from '../personal-data-vault';
import { createPersonalDataVault, migratePersonalData } from './postgres-personal-data-vault';

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
  let keyDir: string;
  let pool: Pool;
  let vault: PersonalDataVault;
  const opened: PersonalDataVault[] = [];
  /** Another vault with a pool of its own, as in another process. */
  const open = async (masterKey: Buffer, cacheSize?: number) => {
    const another = await createPersonalDataVault({ pool: db.pool(), masterKey, keyDir, cacheSize });
    opened.push(another);
    return another;
  };
  const rowCount = async () => (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM personal_data_keys')).rows[0].n;

  beforeAll(async () => {
    db = await createTestDatabase();
    keyDir = newKeyDir();
    await migratePersonalData(db.url);
    pool = db.pool();
    vault = await createPersonalDataVault({ pool, masterKey: MASTER, keyDir });
  });
  afterAll(async () => {
    await Promise.all([vault, ...opened].map((v) => v.close()));
    await db.drop();
    rmSync(keyDir, { recursive: true, force: true });
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
    const { rows } = await pool.query('SELECT wrapped_key, kek_id, erased_kek, erased_at FROM personal_data_keys WHERE subject_id = $1', [subject]);
    expect(rows).toEqual([{ wrapped_key: null, kek_id: null, erased_kek: null, erased_at: erasedAt }]);
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
    expect(await refusal(createPersonalDataVault({ url: db.url, masterKey: Buffer.alloc(16), keyDir }))).toEqual(['invalid-master-key', 'masterKey']);
  });

  it('fails clearly with the wrong master key or without the key directory', async () => {
    await vault.seal(child(), personal);
    const error = await open(OTHER_MASTER).catch((e: PersonalDataError) => e);
    expect(error).toMatchObject({ code: 'wrong-master-key', field: 'masterKey' });
    expect((error as Error).message).toMatch(/key-encryption key [0-9a-f]{32} in .* does not open with this master key/);
    const empty = newKeyDir();
    try {
      const missing = await createPersonalDataVault({ pool: db.pool(), masterKey: MASTER, keyDir: empty }).catch((e: PersonalDataError) => e);
      expect(missing).toMatchObject({ code: 'missing-key-encryption-key', field: 'keyDir' });
      expect(readdirSync(empty)).toEqual([]);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
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
    expect(Object.keys(rows[0]).sort()).toEqual(['created_at', 'erased_at', 'erased_kek', 'kek_id', 'key_version', 'subject_id', 'wrapped_key']);
    const wrapped: Buffer = rows[0].wrapped_key;
    expect(wrapped).toHaveLength(60);
    const kek = (await KeyDirectory.open(keyDir, MASTER)).get(rows[0].kek_id) as Buffer;
    const dataKey = unwrapDataKey(kek, subject, 1, wrapped);
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
    const fresh = await createPersonalDataVault({ pool: slowReads, masterKey: MASTER, keyDir });
    opened.push(fresh);

    const opening = fresh.open(subject, sealed);
    await readAnswered;
    await fresh.erase(subject);
    deliver();
    // The erasure's rotation destroyed the key-encryption key that the late read found.
    expect(await opening).toBeNull();
    expect(await fresh.open(subject, sealed)).toBeNull();
  });

});

function newKeyDir(): string {
  return mkdtempSync(join(tmpdir(), 'lbc-keys-'));
}

/** Every key material left in the key directory, and the master key: what an attacker with the disk and MASTER_KEY holds. */
async function keyMaterial(keyDir: string): Promise<Buffer[]> {
  const directory = await KeyDirectory.open(keyDir, MASTER);
  return [MASTER, ...directory.ids().map((id) => directory.get(id) as Buffer)];
}

function unwrapsWithAny(materials: Buffer[], subject: string, wrapped: Buffer): boolean {
  return materials.some((key) => refusalSync(() => unwrapDataKey(key, subject, 1, wrapped)) === null);
}

function refusalSync(work: () => unknown): string | null {
  try {
    work();
    return null;
  } catch (error) {
    return (error as PersonalDataError).code;
  }
}

/** A pool whose clients fail the first statement matching `failing`, as a process dying there would stop. */
function failingOnce(base: Pool, failing: RegExp): Pool {
  let failed = false;
  const connect = base.connect.bind(base) as () => Promise<PoolClient>;
  return Object.assign(Object.create(base) as Pool, {
    // pool.query takes a client through connect(callback): single statements go to the base pool.
    query: base.query.bind(base),
    connect: async () => {
      const client = await connect();
      const query = client.query.bind(client) as (text: string, values?: unknown[]) => Promise<unknown>;
      return Object.assign(Object.create(client) as PoolClient, {
        query: (text: string, values?: unknown[]) => {
          if (!failed && failing.test(text)) {
            failed = true;
            return Promise.reject(new Error(`died at: ${text}`));
          }
          return query(text, values);
        },
        release: (error?: Error | boolean) => client.release(error),
      });
    },
  });
}

describe('PostgreSQL personal data vault: erasure that really forgets', () => {
  let db: TestDatabase;
  let keyDir: string;
  const vaults: PersonalDataVault[] = [];
  const open = async (pool: Pool = db.pool()) => {
    const vault = await createPersonalDataVault({ pool, masterKey: MASTER, keyDir });
    vaults.push(vault);
    return vault;
  };
  const wrappedKeyOf = async (subject: string): Promise<Buffer> =>
    (await db.pool().query<{ wrapped_key: Buffer }>('SELECT wrapped_key FROM personal_data_keys WHERE subject_id = $1', [subject])).rows[0].wrapped_key;

  beforeEach(async () => {
    db = await createTestDatabase();
    keyDir = newKeyDir();
    await migratePersonalData(db.url);
  });
  afterEach(async () => {
    await Promise.all(vaults.splice(0).map((vault) => vault.close()));
    await db.drop();
    rmSync(keyDir, { recursive: true, force: true });
  });

  it('keeps the key-encryption keys outside the database, random, and sealed under the master key', async () => {
    const vault = await open();
    const subject = child();
    await vault.seal(subject, personal);
    const files = readdirSync(keyDir);
    expect(files).toEqual([expect.stringMatching(/^[0-9a-f]{32}\.kek$/)]);
    const [kek] = await keyMaterial(keyDir).then((materials) => materials.slice(1));
    expect(kek.equals(MASTER)).toBe(false);
    expect(unwrapsWithAny([MASTER], subject, await wrappedKeyOf(subject))).toBe(false);
    expect(unwrapsWithAny([kek], subject, await wrappedKeyOf(subject))).toBe(true);
  });

  it('after an erasure no key material left opens any wrapped key the subject ever had; the others still open', async () => {
    const vault = await open();
    const [erased, kept, erasedEarlier] = [child(), child(), child()];
    const sealed = await vault.seal(kept, personal);
    await vault.seal(erased, personal);
    await vault.seal(erasedEarlier, personal);
    const wrappedBefore = await wrappedKeyOf(erased);
    await vault.erase(erasedEarlier);
    // That erasure's rotation rewrapped the others: the erased subject's key now has two wrapped copies.
    const wrappedAfter = await wrappedKeyOf(erased);
    expect(wrappedAfter.equals(wrappedBefore)).toBe(false);
    expect(unwrapsWithAny(await keyMaterial(keyDir), erased, wrappedAfter)).toBe(true);

    await vault.erase(erased);
    const materials = await keyMaterial(keyDir);
    expect(materials).toHaveLength(2);
    for (const wrapped of [wrappedBefore, wrappedAfter]) expect(unwrapsWithAny(materials, erased, wrapped)).toBe(false);
    expect(await (await open()).open(kept, sealed)).toEqual(personal);
    expect(await (await open()).seal(kept, personal)).toEqual(sealed);
    const { rows } = await db.pool().query<{ n: number }>('SELECT count(*)::int AS n FROM personal_data_keys WHERE erased_kek IS NOT NULL');
    expect(rows[0].n).toBe(0);
  });

  for (const [step, failing] of [
    ['before the new key-encryption key is made current', /^UPDATE personal_data_keyring/],
    ['half-way through the rewrap', /^UPDATE personal_data_keys AS k/],
    ['before the erasure is marked done', /^UPDATE personal_data_keys SET erased_kek = NULL/],
  ] as const) {
    it(`loses no live key when a rotation dies ${step}, and the next start finishes the erasure`, async () => {
      const subjects = Array.from({ length: 5 }, child);
      const first = await open();
      const sealed = await Promise.all(subjects.map((subject) => first.seal(subject, { name: subject })));
      const wrapped = await wrappedKeyOf(subjects[0]);
      const dying = await open(failingOnce(db.pool(), failing));
      expect(await dying.erase(subjects[0]).catch((error: Error) => error.message)).toMatch(/^died at/);

      const restarted = await open();
      expect(await restarted.open(subjects[0], sealed[0])).toBeNull();
      for (const [i, subject] of subjects.slice(1).entries()) expect(await restarted.open(subject, sealed[i + 1])).toEqual({ name: subject });
      const materials = await keyMaterial(keyDir);
      expect(materials).toHaveLength(2);
      expect(unwrapsWithAny(materials, subjects[0], wrapped)).toBe(false);
    });
  }

  it('destroys the key files that a process dying while creating or destroying one left behind', async () => {
    const subject = child();
    const sealed = await (await open()).seal(subject, personal);
    const leftovers = ['0123456789abcdef0123456789abcdef.tmp', 'fedcba9876543210fedcba9876543210.destroyed'];
    for (const name of leftovers) writeFileSync(join(keyDir, name), Buffer.alloc(60, 7));
    await (await open()).erase(child());
    expect(readdirSync(keyDir)).toEqual([expect.stringMatching(/\.kek$/)]);
    expect(await (await open()).open(subject, sealed)).toEqual(personal);
  });

  it('rewraps keys stored before the keyring (wrapped by the master key itself) at start', async () => {
    const subject = child();
    const dataKey = newDataKey();
    await db
      .pool()
      .query('INSERT INTO personal_data_keys (subject_id, key_version, kek_id, wrapped_key) VALUES ($1, 1, $2, $3)', [
        subject,
        masterKeyId(MASTER),
        wrapDataKey(MASTER, subject, 1, dataKey),
      ]);
    const sealed = sealPlaintext(deriveSubjectKeys(dataKey, 1), subject, canonicalPersonal(personal));
    const vault = await open();
    expect(await vault.open(subject, sealed)).toEqual(personal);
    const { rows } = await db.pool().query<{ kek_id: string }>('SELECT kek_id FROM personal_data_keys WHERE subject_id = $1', [subject]);
    expect(rows[0].kek_id).not.toBe(masterKeyId(MASTER));
  });

  it('loses no key sealed for the first time by other processes while erasures rotate', async () => {
    const vaults = [await open(), await open(), await open()];
    const erased = Array.from({ length: 4 }, child);
    await Promise.all(erased.map((subject) => vaults[0].seal(subject, personal)));
    const subjects = Array.from({ length: 60 }, child);
    const [sealed] = await Promise.all([
      Promise.all(subjects.map((subject, i) => vaults[1 + (i % 2)].seal(subject, { name: subject }))),
      Promise.all(erased.map((subject) => vaults[0].erase(subject))),
    ]);
    const fresh = await open();
    for (const [i, subject] of subjects.entries()) expect(await fresh.open(subject, sealed[i])).toEqual({ name: subject });
    expect(await keyMaterial(keyDir)).toHaveLength(2);
  });
});
