import { createHash } from 'node:crypto';

/*
 * The Merkle tree of RFC 6962 §2.1 (restated in RFC 9162 §2.1) over the all-stream in commit
 * order: leaf i is the i-th event's `hash`. Leaves and interior nodes are hashed with distinct
 * prefixes (0x00, 0x01) so that no interior node can be passed off as a leaf.
 *
 * Proofs are described as the list of subtrees whose hashes they carry (`Range`), so that a store
 * can answer them from whatever nodes it keeps; the verifiers are the RFC 9162 algorithms, which
 * check the shape of a proof against the tree sizes as well as the hashes.
 */

export type Hash = Buffer;

/** Leaves `[start, start + size)`. */
export interface Range {
  readonly start: number;
  readonly size: number;
}

const sha256 = (...parts: Buffer[]): Hash => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** MTH of the empty tree. */
export const EMPTY_ROOT: Hash = sha256();

export const leafHash = (leaf: Buffer): Hash => sha256(LEAF_PREFIX, leaf);

export const nodeHash = (left: Hash, right: Hash): Hash => sha256(NODE_PREFIX, left, right);

/** The largest power of two smaller than `n` (n ≥ 2): where RFC 6962 splits a tree of n leaves. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH over leaf hashes (not leaves), for trees small enough to hold. */
export function rootOfLeafHashes(hashes: readonly Hash[]): Hash {
  if (hashes.length === 0) return EMPTY_ROOT;
  if (hashes.length === 1) return hashes[0];
  const k = splitPoint(hashes.length);
  return nodeHash(rootOfLeafHashes(hashes.slice(0, k)), rootOfLeafHashes(hashes.slice(k)));
}

/** The subtrees whose hashes make the audit path of leaf `index` in a tree of `size` (PATH(m, D[n]), leaf side first). */
export function inclusionRanges(index: number, size: number): Range[] {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) {
    throw new RangeError(`no leaf ${index} in a tree of ${size}`);
  }
  let start = 0;
  let n = size;
  let m = index;
  const siblings: Range[] = [];
  while (n > 1) {
    const k = splitPoint(n);
    if (m < k) {
      siblings.push({ start: start + k, size: n - k });
      n = k;
    } else {
      siblings.push({ start, size: k });
      start += k;
      m -= k;
      n -= k;
    }
  }
  // Descending collected the siblings from the root down; the proof lists them from the leaf up.
  return siblings.reverse();
}

/** The subtrees whose hashes prove that a tree of `first` leaves is a prefix of one of `second` (PROOF(m, D[n])). */
export function consistencyRanges(first: number, second: number): Range[] {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first < 1 || first > second) {
    throw new RangeError(`no consistency proof from ${first} to ${second}`);
  }
  const proof: Range[] = [];
  // SUBPROOF(m, D[start:start+n], b), iteratively: each step adds one hash after the deeper ones.
  const subproof = (m: number, start: number, n: number, whole: boolean): void => {
    if (m === n) {
      if (!whole) proof.push({ start, size: n });
      return;
    }
    const k = splitPoint(n);
    if (m <= k) {
      subproof(m, start, k, whole);
      proof.push({ start: start + k, size: n - k });
    } else {
      subproof(m - k, start + k, n - k, false);
      proof.push({ start, size: k });
    }
  };
  subproof(first, 0, second, true);
  return proof;
}

const isOdd = (n: number) => n % 2 === 1;
const half = (n: number) => Math.floor(n / 2);

/**
 * The walk both verifications of RFC 9162 share: up from node `fn` of a level whose last node is
 * `sn`, one path hash a level, told whether the hash is the left sibling. False when the path does
 * not end at the root.
 */
function walkUp(fn: number, sn: number, path: readonly Hash[], visit: (hash: Hash, isLeftSibling: boolean) => void): boolean {
  for (const hash of path) {
    if (sn === 0) return false;
    const isLeftSibling = isOdd(fn) || fn === sn;
    visit(hash, isLeftSibling);
    if (isLeftSibling) {
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0;
}

/** RFC 9162 §2.1.3.2: whether `path` proves leaf `index` (its leaf hash given) in the tree of `size` with `root`. */
export function verifyInclusion(index: number, size: number, leaf: Hash, path: readonly Hash[], root: Hash): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  let r = leaf;
  const reachesRoot = walkUp(index, size - 1, path, (p, isLeftSibling) => (r = isLeftSibling ? nodeHash(p, r) : nodeHash(r, p)));
  return reachesRoot && r.equals(root);
}

/** RFC 9162 §2.1.4.2: whether `path` proves the tree of `first` leaves (`firstRoot`) a prefix of the tree of `second` (`secondRoot`). */
export function verifyConsistency(first: number, second: number, firstRoot: Hash, secondRoot: Hash, path: readonly Hash[]): boolean {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first < 1 || first > second) return false;
  if (first === second) return path.length === 0 && firstRoot.equals(secondRoot);
  if (path.length === 0) return false;
  const hashes = (first & (first - 1)) === 0 ? [firstRoot, ...path] : [...path];
  let fn = first - 1;
  let sn = second - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = hashes[0];
  let sr = hashes[0];
  const reachesRoot = walkUp(fn, sn, hashes.slice(1), (c, isLeftSibling) => {
    if (isLeftSibling) fr = nodeHash(c, fr);
    sr = isLeftSibling ? nodeHash(c, sr) : nodeHash(sr, c);
  });
  return reachesRoot && fr.equals(firstRoot) && sr.equals(secondRoot);
}
