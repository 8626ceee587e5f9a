/**
 * A seeded pseudo-random source (mulberry32): the same seed always gives the same county, so a
 * figure that looks wrong can be regenerated and traced. Never `Math.random`.
 */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An independent source for one part (a school): its draws do not shift when another part draws more. */
  fork(part: number): Random {
    return new Random(Math.imul(this.state ^ Math.imul(part + 1, 0x9e3779b1), 0x85ebca6b) ^ part);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** One of the items, each as likely as its weight. */
  weighted<T>(table: readonly (readonly [T, number])[]): T {
    const total = table.reduce((sum, [, weight]) => sum + weight, 0);
    let r = this.next() * total;
    for (const [item, weight] of table) {
      r -= weight;
      if (r < 0) return item;
    }
    return table[table.length - 1][0];
  }
}
