import type { KeyObject } from 'node:crypto';
import { createHash, createPublicKey, sign, verify } from 'node:crypto';
import type { Hash } from './merkle';

/*
 * A signed tree head (the "checkpoint" of transparency logs) in the C2SP formats
 * (c2sp.org/tlog-checkpoint over c2sp.org/signed-note), so that an auditor can check a copy kept
 * outside the platform with standard tools (e.g. Go's golang.org/x/mod/sumdb/note):
 *
 *   <origin>\n<tree size>\n<base64 root hash>\ntime <ISO-8601 UTC>\n[access-log <entries> <hash of the last>\n]
 *   \n
 *   — <key name> <base64(key id ‖ Ed25519 signature over the text above the blank line)>\n
 */

export interface TreeHead {
  /** Names the log: which platform deployment signed it. */
  readonly origin: string;
  readonly treeSize: number;
  readonly rootHash: Hash;
  /** When it was signed, ISO-8601 UTC. */
  readonly time: string;
  /** The access log as it stood then (null before its first entry): cutting its tail shows against this. */
  readonly accessLog: { readonly entries: number; readonly hash: string } | null;
}

export interface SignedTreeHead extends TreeHead {
  /** The whole signed note, as exported. */
  readonly note: string;
}

/** Ed25519 in signed-note's algorithm numbering. */
const ED25519 = 0x01;
const SIGNATURE_LINE = /^— (\S+) ([A-Za-z0-9+/]+={0,2})$/;

/** The 32-byte raw public key of an Ed25519 key (private or public). */
function rawPublicKey(key: KeyObject): Buffer {
  const jwk = createPublicKey(key).export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new Error('the tree-head key is not an Ed25519 key');
  return Buffer.from(jwk.x, 'base64url');
}

/** signed-note's key id: the first 4 bytes of SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key). */
function keyId(name: string, publicKey: Buffer): Buffer {
  return createHash('sha256')
    .update(Buffer.from(`${name}\n`, 'utf8'))
    .update(Buffer.from([ED25519]))
    .update(publicKey)
    .digest()
    .subarray(0, 4);
}

/** The verifier key in signed-note's text form (`<name>+<hex id>+<base64(0x01 ‖ key)>`), for auditors to keep. */
export function verifierKey(name: string, key: KeyObject): string {
  const publicKey = rawPublicKey(key);
  return `${name}+${keyId(name, publicKey).toString('hex')}+${Buffer.concat([Buffer.from([ED25519]), publicKey]).toString('base64')}`;
}

function body(head: TreeHead): string {
  const accessLog = head.accessLog ? `access-log ${head.accessLog.entries} ${head.accessLog.hash}\n` : '';
  return `${head.origin}\n${head.treeSize}\n${head.rootHash.toString('base64')}\ntime ${head.time}\n${accessLog}`;
}

const ACCESS_LOG_LINE = /^access-log ([1-9]\d{0,15}) ([0-9a-f]{64})$/;

export function signTreeHead(head: TreeHead, keyName: string, privateKey: KeyObject): SignedTreeHead {
  if (/\s|\+/.test(keyName) || keyName === '') throw new Error('a key name has no spaces or plus signs');
  const text = body(head);
  const signature = sign(null, Buffer.from(text, 'utf8'), privateKey);
  const id = keyId(keyName, rawPublicKey(privateKey));
  return { ...head, note: `${text}\n— ${keyName} ${Buffer.concat([id, signature]).toString('base64')}\n` };
}

export type TreeHeadVerdict = { readonly ok: true; readonly head: TreeHead } | { readonly ok: false; readonly reason: string };

/**
 * Parses a signed tree head and checks its signature with the verifier key (`verifierKey`'s
 * form). Anything not exactly in the format is refused, never guessed at.
 */
export function openTreeHead(note: string, verifier: string): TreeHeadVerdict {
  const fail = (reason: string): TreeHeadVerdict => ({ ok: false, reason });
  // `<name>+<id>+<key>`: the key's base64 may itself hold plus signs.
  const [, name, idHex, keyText] = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/]+={0,2})$/.exec(verifier.trim()) ?? [];
  const key = Buffer.from(keyText ?? '', 'base64');
  if (!name || key.length !== 33 || key[0] !== ED25519) return fail('the verifier key is not an Ed25519 signed-note key');
  const publicKey = key.subarray(1);
  if (keyId(name, publicKey).toString('hex') !== idHex) return fail('the verifier key’s id does not match its key');

  const split = note.indexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) return fail('not a signed note');
  const text = note.slice(0, split + 1);
  const signatures = note.slice(split + 2, -1).split('\n');
  const lines = text.slice(0, -1).split('\n');
  const [origin, size, root, time, accessLogLine, ...rest] = lines;
  const accessLog = accessLogLine === undefined ? null : ACCESS_LOG_LINE.exec(accessLogLine);
  if (rest.length > 0 || (accessLogLine !== undefined && accessLog === null) || !origin || !/^(0|[1-9]\d{0,15})$/.test(size ?? '') || !time?.startsWith('time ')) return fail('not a tree head');
  const rootHash = Buffer.from(root ?? '', 'base64');
  if (rootHash.length !== 32 || rootHash.toString('base64') !== root) return fail('the root hash is not 32 bytes in base64');
  const treeSize = Number(size);
  if (!Number.isSafeInteger(treeSize)) return fail('the tree size is too large');

  const spki = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey.toString('base64url') }, format: 'jwk' });
  for (const line of signatures) {
    const match = SIGNATURE_LINE.exec(line);
    if (!match) return fail('a signature line is malformed');
    const signature = Buffer.from(match[2], 'base64');
    if (match[1] !== name || signature.length !== 68 || !signature.subarray(0, 4).equals(keyId(name, publicKey))) continue;
    if (!verify(null, Buffer.from(text, 'utf8'), spki, signature.subarray(4))) return fail('the signature does not match the tree head');
    return {
      ok: true,
      head: { origin, treeSize, rootHash, time: time.slice('time '.length), accessLog: accessLog ? { entries: Number(accessLog[1]), hash: accessLog[2] } : null },
    };
  }
  return fail(`no signature by ${name}`);
}
