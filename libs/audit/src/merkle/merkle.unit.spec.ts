import { createHash } from 'node:crypto';
import type { Hash, Range } from './merkle';
import {
  EMPTY_ROOT,
  consistencyRanges,
  inclusionRanges,
  leafHash,
  nodeHash,
  rootOfLeafHashes,
  verifyConsistency,
  verifyInclusion,
} from './merkle';

const hex = (hash: Hash) => hash.toString('hex');
const unhex = (text: string) => Buffer.from(text, 'hex');

// The test vectors of RFC 6962's reference implementation (certificate-transparency): a log whose
// roots no other implementation reproduces proves nothing to an auditor with their own tools.
const CT_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((leaf) => leafHash(unhex(leaf)));
const CT_ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

const hashesOf = (leaves: readonly Hash[], ranges: readonly Range[]) => ranges.map(({ start, size }) => rootOfLeafHashes(leaves.slice(start, start + size)));
const leavesOf = (n: number) => Array.from({ length: n }, (_, i) => leafHash(createHash('sha256').update(`event ${i}`).digest()));

describe('the Merkle tree of RFC 6962', () => {
  it('reproduces the reference roots of every size from 0 to 8', () => {
    expect(hex(EMPTY_ROOT)).toBe(CT_ROOTS[0]);
    for (let n = 0; n <= 8; n++) expect(hex(rootOfLeafHashes(CT_LEAVES.slice(0, n)))).toBe(CT_ROOTS[n]);
  });

  it('reproduces the reference inclusion proofs', () => {
    expect(hashesOf(CT_LEAVES, inclusionRanges(0, 8)).map(hex)).toEqual([
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
    expect(hashesOf(CT_LEAVES, inclusionRanges(5, 8)).map(hex)).toEqual([
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ]);
  });

  it('separates leaves from nodes: a node is never accepted as a leaf', () => {
    const leaves = leavesOf(4);
    const root = rootOfLeafHashes(leaves);
    const interior = nodeHash(leaves[0], leaves[1]);
    // The interior node is what a two-leaf tree's root would be; as a "leaf" of the top it proves nothing.
    expect(verifyInclusion(0, 2, interior, [nodeHash(leaves[2], leaves[3])], root)).toBe(true);
    expect(verifyInclusion(0, 4, interior, [nodeHash(leaves[2], leaves[3])], root)).toBe(false);
  });

  const sizes = Array.from({ length: 40 }, (_, i) => i + 1);
  const all = leavesOf(41);
  const rootOf = (n: number) => rootOfLeafHashes(all.slice(0, n));

  it.each(sizes)('every leaf of a tree of %i proves its inclusion, and no other claim passes', (size) => {
    const leaves = all.slice(0, size);
    const root = rootOfLeafHashes(leaves);
    for (let index = 0; index < size; index++) {
      const path = hashesOf(leaves, inclusionRanges(index, size));
      expect(verifyInclusion(index, size, leaves[index], path, root)).toBe(true);
      // Another event's hash with this proof, this proof at another index or tree size, a
      // truncated, extended or reordered path, another root: each must fail.
      expect(verifyInclusion(index, size, all[size] ?? leafHash(Buffer.from('x')), path, root)).toBe(false);
      for (const other of [index - 1, index + 1]) {
        if (other >= 0 && other < size && !leaves[other].equals(leaves[index])) expect(verifyInclusion(other, size, leaves[index], path, root)).toBe(false);
      }
      // A tree size is only ever claimed together with its root (a signed checkpoint).
      for (const wrongSize of [size - 1, size + 1, size * 2]) {
        if (wrongSize > index) expect(verifyInclusion(index, wrongSize, leaves[index], path, rootOf(wrongSize))).toBe(false);
      }
      expect(verifyInclusion(index, size, leaves[index], path, rootOfLeafHashes(all.slice(0, size + 1)))).toBe(false);
      if (path.length > 0) {
        expect(verifyInclusion(index, size, leaves[index], path.slice(0, -1), root)).toBe(false);
        expect(verifyInclusion(index, size, leaves[index], path.slice(1), root)).toBe(false);
      }
      expect(verifyInclusion(index, size, leaves[index], [...path, root], root)).toBe(false);
      if (path.length > 1) expect(verifyInclusion(index, size, leaves[index], [...path].reverse(), root)).toBe(false);
      expect(verifyInclusion(size, size, leaves[index], path, root)).toBe(false);
      expect(verifyInclusion(-1, size, leaves[index], path, root)).toBe(false);
    }
  });

  it.each(sizes)('every earlier tree is proven a prefix of the tree of %i, and no forged claim passes', (second) => {
    const secondRoot = rootOfLeafHashes(all.slice(0, second));
    for (let first = 1; first <= second; first++) {
      const firstRoot = rootOfLeafHashes(all.slice(0, first));
      const path = hashesOf(all, consistencyRanges(first, second));
      expect(verifyConsistency(first, second, firstRoot, secondRoot, path)).toBe(true);
      if (first === second) {
        expect(path).toEqual([]);
        continue;
      }
      // A rewritten history: the first tree with one leaf replaced is not a prefix.
      const rewritten = all.slice(0, first).map((leaf, i) => (i === first - 1 ? leafHash(Buffer.from('rewritten')) : leaf));
      expect(verifyConsistency(first, second, rootOfLeafHashes(rewritten), secondRoot, path)).toBe(false);
      expect(verifyConsistency(first, second, firstRoot, rootOfLeafHashes(all.slice(0, second + 1)), path)).toBe(false);
      expect(verifyConsistency(first, second + 1, firstRoot, rootOf(second + 1), path)).toBe(false);
      if (first > 1) expect(verifyConsistency(first - 1, second, rootOf(first - 1), secondRoot, path)).toBe(false);
      expect(verifyConsistency(first, second, firstRoot, secondRoot, path.slice(0, -1))).toBe(false);
      expect(verifyConsistency(first, second, firstRoot, secondRoot, [...path, secondRoot])).toBe(false);
      expect(verifyConsistency(second, first, secondRoot, firstRoot, path)).toBe(false);
    }
  });

  it('refuses impossible proof requests', () => {
    expect(() => inclusionRanges(3, 3)).toThrow(RangeError);
    expect(() => inclusionRanges(-1, 3)).toThrow(RangeError);
    expect(() => consistencyRanges(0, 3)).toThrow(RangeError);
    expect(() => consistencyRanges(4, 3)).toThrow(RangeError);
    expect(verifyConsistency(0, 3, EMPTY_ROOT, EMPTY_ROOT, [])).toBe(false);
    expect(verifyConsistency(2, 3, EMPTY_ROOT, EMPTY_ROOT, [])).toBe(false);
  });
});
