import type { DeliveredMessage } from '../bus.port';

/**
 * One partition's messages in offset order. The oldest are discarded once every group has
 * applied them and the log holds more than it retains, so a long-running process does not keep
 * its whole traffic in memory.
 */
export class PartitionLog {
  private messages: DeliveredMessage[] = [];
  /** Offset of the newest discarded message; -1 while nothing was discarded. */
  private discarded = -1n;

  append(message: DeliveredMessage): void {
    this.messages.push(message);
  }

  get discardedThrough(): bigint {
    return this.discarded;
  }

  /** Up to `max` messages with an offset above `offset`. */
  after(offset: bigint, max: number): DeliveredMessage[] {
    let low = 0;
    let high = this.messages.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (BigInt(this.messages[middle].offset) <= offset) low = middle + 1;
      else high = middle;
    }
    return this.messages.slice(low, low + max);
  }

  /** Drops the oldest messages beyond `retain`, never one above `appliedByAll`. */
  trim(retain: number, appliedByAll: bigint): void {
    let drop = 0;
    const excess = this.messages.length - retain;
    while (drop < excess && BigInt(this.messages[drop].offset) <= appliedByAll) drop += 1;
    if (drop === 0) return;
    this.discarded = BigInt(this.messages[drop - 1].offset);
    this.messages = this.messages.slice(drop);
  }
}
