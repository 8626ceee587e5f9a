import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigError } from '@lbc/config';
import type { TreeHeadKey } from './tree-heads';

export interface TreeHeadKeySource {
  /** `CHECKPOINT_KEY`: a PKCS#8 PEM file of an Ed25519 private key, kept outside the database. */
  readonly keyFile?: string;
  /** `CHECKPOINT_ORIGIN`: names the log in every signed head. */
  readonly origin: string;
  readonly demoMode: boolean;
  /** In demo mode the key is made on first start and kept here. */
  readonly dataDir: string;
}

/** Where demo mode keeps its tree-head key. */
export const demoTreeHeadKeyFile = (dataDir: string) => join(dataDir, 'tree-head-key.pem');

/**
 * The key that signs tree heads. Outside demo mode it must be given: a key the platform made
 * itself beside its database would prove nothing to an auditor about that database.
 */
export function loadTreeHeadKey({ keyFile, origin, demoMode, dataDir }: TreeHeadKeySource): TreeHeadKey {
  let file = keyFile;
  if (file === undefined) {
    if (!demoMode) throw new ConfigError(['CHECKPOINT_KEY: required outside demo mode (a PEM file of an Ed25519 private key)']);
    file = demoTreeHeadKeyFile(dataDir);
    if (!existsSync(file)) {
      mkdirSync(dirname(file), { recursive: true });
      const { privateKey } = generateKeyPairSync('ed25519');
      writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    }
  }
  let privateKey;
  try {
    privateKey = createPrivateKey(readFileSync(file));
  } catch (error) {
    throw new ConfigError([`CHECKPOINT_KEY: cannot read a private key from ${file} (${(error as Error).message})`]);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new ConfigError([`CHECKPOINT_KEY: ${file} holds a ${privateKey.asymmetricKeyType} key, not Ed25519`]);
  return { name: origin, privateKey };
}
