import type { Checkpoint } from './event-store.port';
import { START } from './event-store.port';

const WIDTH = 20; // digits of 2^64 − 1: both parts of either adapter fit

/**
 * Both adapters order their all-stream by a pair of unsigned 64-bit integers (PostgreSQL:
 * transaction id and global position; EventStoreDB: commit and prepare positions). Zero-padded,
 * the pair compares as a string in that order.
 */
export function encodeCheckpoint(major: bigint | string | number, minor: bigint | string | number): Checkpoint {
  return `${String(major).padStart(WIDTH, '0')}.${String(minor).padStart(WIDTH, '0')}` as Checkpoint;
}

/** `null` for `START`. */
export function decodeCheckpoint(checkpoint: Checkpoint): { major: bigint; minor: bigint } | null {
  if (checkpoint === START) return null;
  const match = /^(\d{20})\.(\d{20})$/.exec(checkpoint);
  if (!match) throw new Error(`Not a checkpoint of this store: ${JSON.stringify(checkpoint)}`);
  return { major: BigInt(match[1]), minor: BigInt(match[2]) };
}
