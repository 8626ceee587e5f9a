import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { PersonalDataError } from '../personal-data-vault';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const SUFFIX = '.kek';
/** A KEK being written (renamed to `.kek` once synced) or destroyed (renamed from `.kek` first, so no reader sees it half-overwritten). */
const PASSING = /^[0-9a-f]{32}\.(tmp|destroyed)$/;
const ID = /^[0-9a-f]{32}$/;

/**
 * The key-encryption keys (KEKs) that wrap the subjects' data keys, one file each in a directory
 * outside the database. Each KEK is random (derivable from nothing), and its file is sealed under
 * the master key, so that neither the directory nor MASTER_KEY alone opens anything. Destroying a
 * KEK (after every live data key was rewrapped under a newer one) is what makes erasure final:
 * every copy of an erased subject's wrapped key that PostgreSQL keeps in its pages and WAL was
 * wrapped by a KEK that no longer exists.
 */
export class KeyDirectory {
  private keys = new Map<string, Buffer>();

  private constructor(
    private readonly dir: string,
    private readonly masterKey: Buffer,
  ) {}

  static async open(dir: string, masterKey: Buffer): Promise<KeyDirectory> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const directory = new KeyDirectory(dir, masterKey);
    await directory.reload();
    return directory;
  }

  /** Rereads the directory: KEKs another process created appear, destroyed ones are forgotten. */
  async reload(): Promise<void> {
    const keys = new Map<string, Buffer>();
    for (const name of await readdir(this.dir)) {
      const id = name.slice(0, -SUFFIX.length);
      if (!name.endsWith(SUFFIX) || !ID.test(id)) continue;
      keys.set(id, this.unseal(id, await readFile(join(this.dir, name))));
    }
    this.keys = keys;
  }

  get(id: string): Buffer | undefined {
    return this.keys.get(id);
  }

  ids(): string[] {
    return [...this.keys.keys()];
  }

  /** A new random KEK, on disk (written, synced, renamed into place, directory synced) before it is returned. */
  async create(): Promise<string> {
    const id = randomBytes(16).toString('hex');
    const key = randomBytes(KEY_BYTES);
    const temporary = join(this.dir, `${id}.tmp`);
    const file = await open(temporary, 'wx', 0o600);
    try {
      await file.writeFile(this.seal(id, key));
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, this.fileOf(id));
    await this.syncDirectory();
    this.keys.set(id, key);
    return id;
  }

  /** Destroys what a process that died while creating or destroying a KEK left behind. */
  async sweep(): Promise<void> {
    for (const name of await readdir(this.dir)) if (PASSING.test(name)) await this.shred(join(this.dir, name));
  }

  /**
   * Takes the KEK's file out of the keyring (a rename, atomic), overwrites it, then unlinks it.
   * (The overwrite reaches the disk blocks on an in-place file system such as ext4 or xfs;
   * copy-on-write file systems and SSD wear levelling may keep old blocks, which is why the files
   * are sealed under MASTER_KEY as well.)
   */
  async destroy(id: string): Promise<void> {
    const destroyed = join(this.dir, `${id}.destroyed`);
    await rename(this.fileOf(id), destroyed);
    await this.shred(destroyed);
    this.keys.get(id)?.fill(0);
    this.keys.delete(id);
  }

  private async shred(path: string): Promise<void> {
    const file = await open(path, 'r+');
    try {
      const { size } = await file.stat();
      await file.write(Buffer.alloc(size), 0, size, 0);
      await file.sync();
    } finally {
      await file.close();
    }
    await unlink(path);
    await this.syncDirectory();
  }

  private fileOf(id: string): string {
    return join(this.dir, `${id}${SUFFIX}`);
  }

  private async syncDirectory(): Promise<void> {
    const directory = await open(this.dir, 'r');
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
  }

  private seal(id: string, key: Buffer): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.masterKey, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(additionalData(id));
    return Buffer.concat([iv, cipher.update(key), cipher.final(), cipher.getAuthTag()]);
  }

  private unseal(id: string, sealed: Buffer): Buffer {
    const decipher = createDecipheriv('aes-256-gcm', this.masterKey, sealed.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(additionalData(id));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new PersonalDataError(
        'wrong-master-key',
        'masterKey',
        `masterKey: the key-encryption key ${id} in ${this.dir} does not open with this master key (another MASTER_KEY, or the file was altered)`,
      );
    }
  }
}

function additionalData(id: string): Buffer {
  return Buffer.from(`lbc/personal-data/kek/v1\0${id}`, 'utf8');
}
