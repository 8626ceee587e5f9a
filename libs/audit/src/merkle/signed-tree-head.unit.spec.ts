import { generateKeyPairSync } from 'node:crypto';
import { rootOfLeafHashes, leafHash } from './merkle';
import { openTreeHead, signTreeHead, verifierKey } from './signed-tree-head';

const { privateKey } = generateKeyPairSync('ed25519');
const head = {
  origin: 'lbc.test/county-1',
  treeSize: 3,
  rootHash: rootOfLeafHashes(['a', 'b', 'c'].map((leaf) => leafHash(Buffer.from(leaf)))),
  time: '2026-12-02T05:00:00.000Z',
  accessLog: { entries: 12, hash: 'ab'.repeat(32) },
};
const verifier = verifierKey('lbc-test', privateKey);

describe('signed tree heads (C2SP checkpoint over signed note)', () => {
  it('opens what it signed, with every field as signed', () => {
    const signed = signTreeHead(head, 'lbc-test', privateKey);
    expect(signed.note).toMatch(/^lbc\.test\/county-1\n3\n[A-Za-z0-9+/]{43}=\ntime 2026-12-02T05:00:00\.000Z\naccess-log 12 (ab){32}\n\n— lbc-test [A-Za-z0-9+/]+=*\n$/);
    expect(verifier).toMatch(/^lbc-test\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);
    const opened = openTreeHead(signed.note, verifier);
    expect(opened).toEqual({ ok: true, head });
    const noAccessYet = { ...head, accessLog: null };
    expect(openTreeHead(signTreeHead(noAccessYet, 'lbc-test', privateKey).note, verifier)).toEqual({ ok: true, head: noAccessYet });
  });

  it('refuses a tree head whose size, root or time was changed after signing', () => {
    const { note } = signTreeHead(head, 'lbc-test', privateKey);
    const otherRoot = rootOfLeafHashes([leafHash(Buffer.from('x'))]).toString('base64');
    for (const forged of [
      note.replace('\n3\n', '\n4\n'),
      note.replace(head.rootHash.toString('base64'), otherRoot),
      note.replace('05:00:00', '06:00:00'),
      note.replace('lbc.test/county-1', 'lbc.test/county-2'),
      note.replace('access-log 12', 'access-log 11'),
    ]) {
      expect(openTreeHead(forged, verifier)).toEqual({ ok: false, reason: 'the signature does not match the tree head' });
    }
  });

  it('refuses a tree head signed by another key, or malformed', () => {
    const other = generateKeyPairSync('ed25519').privateKey;
    const { note } = signTreeHead(head, 'lbc-test', other);
    expect(openTreeHead(note, verifier)).toEqual({ ok: false, reason: 'no signature by lbc-test' });
    const good = signTreeHead(head, 'lbc-test', privateKey).note;
    expect(openTreeHead(good.replace('\n\n', '\n'), verifier).ok).toBe(false);
    expect(openTreeHead(good.replace('\n3\n', '\n03\n'), verifier)).toEqual({ ok: false, reason: 'not a tree head' });
    expect(openTreeHead(good.replace('— lbc-test', '— lbc-test extra'), verifier)).toEqual({ ok: false, reason: 'a signature line is malformed' });
    expect(openTreeHead(good, verifier.replace(/\+[0-9a-f]{8}\+/, '+00000000+'))).toEqual({ ok: false, reason: 'the verifier key’s id does not match its key' });
    expect(openTreeHead(good, 'garbage')).toEqual({ ok: false, reason: 'the verifier key is not an Ed25519 signed-note key' });
  });

  it('reads verifier keys whose base64 holds plus signs', () => {
    // About one key in three has a '+' in its base64: try until one does.
    for (;;) {
      const key = generateKeyPairSync('ed25519').privateKey;
      const text = verifierKey('lbc-test', key);
      if (!text.split('+').slice(2).join('+').includes('+')) continue;
      expect(openTreeHead(signTreeHead(head, 'lbc-test', key).note, text)).toEqual({ ok: true, head });
      return;
    }
  });

  it('refuses a key that is not Ed25519', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    expect(() => signTreeHead(head, 'lbc-test', rsa)).toThrow('not an Ed25519 key');
  });
});
