/**
 * The partition of a key: FNV-1a over its UTF-8 bytes, modulo the partition count. Stable
 * across processes, so a key stays on the partition whose offset its consumers stored.
 */
export function partitionOfKey(key: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(key, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % partitions;
}
