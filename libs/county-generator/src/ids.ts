const KINDS = {
  school: '5c00',
  township: '7000',
  carer: 'ca00',
  child: 'c400',
  event: 'e000',
  pairing: 'ba00',
  activity: 'ac00',
  incident: '1c00',
  home: 'b000',
  user: 'a000',
  outside: 'f000',
} as const;

export type IdKind = keyof typeof KINDS;

/**
 * Ids in UUID form, from one counter: deterministic for a seed, distinct across seeds (the seed
 * is the first group) and telling their kind at a glance (the second group).
 */
export class Ids {
  private counter = 0;
  private readonly prefix: string;

  constructor(seed: number) {
    this.prefix = (seed >>> 0).toString(16).padStart(8, '0');
  }

  next(kind: IdKind): string {
    return `${this.prefix}-${KINDS[kind]}-4000-8000-${(++this.counter).toString(16).padStart(12, '0')}`;
  }
}
