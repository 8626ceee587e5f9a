import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifierKey } from '../merkle/signed-tree-head';
import { demoTreeHeadKeyFile, loadTreeHeadKey } from './tree-head-key';

describe('the tree-head key', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'tree-head-key-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is made once in demo mode, kept private in the data directory, and the same on the next start', () => {
    const first = loadTreeHeadKey({ origin: 'lbc.demo', demoMode: true, dataDir: dir });
    expect(statSync(demoTreeHeadKeyFile(dir)).mode & 0o777).toBe(0o600);
    const second = loadTreeHeadKey({ origin: 'lbc.demo', demoMode: true, dataDir: dir });
    expect(verifierKey('lbc.demo', second.privateKey)).toBe(verifierKey('lbc.demo', first.privateKey));
  });

  it('must be given outside demo mode, as an Ed25519 PEM', () => {
    expect(() => loadTreeHeadKey({ origin: 'lbc', demoMode: false, dataDir: dir })).toThrow('CHECKPOINT_KEY: required outside demo mode');
    const rsa = join(dir, 'rsa.pem');
    writeFileSync(rsa, generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expect(() => loadTreeHeadKey({ keyFile: rsa, origin: 'lbc', demoMode: false, dataDir: dir })).toThrow('holds a rsa key, not Ed25519');
    expect(() => loadTreeHeadKey({ keyFile: join(dir, 'missing.pem'), origin: 'lbc', demoMode: false, dataDir: dir })).toThrow('CHECKPOINT_KEY: cannot read');
    const ed = join(dir, 'ed.pem');
    writeFileSync(ed, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expect(loadTreeHeadKey({ keyFile: ed, origin: 'lbc', demoMode: false, dataDir: dir }).name).toBe('lbc');
  });
});
