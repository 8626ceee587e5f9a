import type { CellCounts, CountyLayout, SuppressionPattern } from './suppression';
import { suppressionPattern } from './suppression';

/** A county whose township cells are the sums of their schools (as for a count of children). */
function county(townships: Readonly<Record<string, Readonly<Record<string, number>>>>): { layout: CountyLayout; counts: CellCounts } {
  const entries = Object.entries(townships);
  return {
    layout: { schools: entries.flatMap(([townshipId, schools]) => Object.keys(schools).map((schoolId) => ({ schoolId, townshipId }))) },
    counts: {
      townships: new Map(entries.map(([townshipId, schools]) => [townshipId, Object.values(schools).reduce((a, b) => a + b, 0)])),
      schools: new Map(entries.flatMap(([, schools]) => Object.entries(schools))),
    },
  };
}

const hiddenOf = (pattern: SuppressionPattern) => [...[...pattern.townships].map((id) => `township:${id}`), ...[...pattern.schools].map((id) => `school:${id}`)].sort();

/** given a county's counts, when suppressed with k, then exactly these cells are hidden. */
const given = (townships: Readonly<Record<string, Readonly<Record<string, number>>>>) => ({
  whenK: (k: number) => ({
    thenHidden: (expected: readonly string[]) => {
      const { layout, counts } = county(townships);
      expect(hiddenOf(suppressionPattern(layout, counts, k))).toEqual([...expected].sort());
    },
  }),
});

describe('small-cell suppression of one cell in one county', () => {
  it('hides nothing when every township and school count is zero or at least k', () => {
    given({ t1: { a: 5, b: 0 }, t2: { c: 12 } }).whenK(5).thenHidden([]);
  });

  it('primary: a count from 1 to k−1 is hidden, zero never', () => {
    // Each small school has a small partner in its township and in the county, and the townships (5
    // each) are shown: only the primary step is at work.
    given({ t1: { a: 1, b: 4 }, t2: { c: 3, d: 2, e: 0 } }).whenK(5).thenHidden(['school:a', 'school:b', 'school:c', 'school:d']);
    given({ t1: { a: 1, b: 1 }, t2: { c: 0 } }).whenK(1).thenHidden([]);
  });

  it('k is configurable: with k = 3 a count of 3 is shown', () => {
    given({ t1: { a: 3, b: 3 }, t2: { c: 6 } }).whenK(3).thenHidden([]);
    given({ t1: { a: 2, b: 3 }, t2: { c: 6 } }).whenK(3).thenHidden(['school:a', 'school:b']);
  });

  it('a lone small school of a shown township takes the township’s smallest other non-zero school with it, so the township total does not give it away', () => {
    // t1 = 30 is shown: a = 30 − 9 − 18 would give a away. b (9) is smaller than c (18); z = 0 is never hidden.
    given({ t1: { a: 3, b: 9, c: 18, z: 0 }, t2: { d: 20, e: 20 } }).whenK(5).thenHidden(['school:a', 'school:b']);
  });

  it('the group rule goes on until the hidden cells of a group sum to at least k', () => {
    // a + b = 2 < 5 would tell that both are tiny: c joins.
    given({ t1: { a: 1, b: 1, c: 7, d: 8 }, t2: { e: 20, f: 20 } }).whenK(5).thenHidden(['school:a', 'school:b', 'school:c']);
  });

  it('ties go to the lower unit id', () => {
    given({ t1: { m: 2, b: 9, a: 9 }, t2: { e: 20, f: 20 } }).whenK(5).thenHidden(['school:a', 'school:m']);
    given({ t2: { e: 20, f: 20 }, t1: { m: 2, y: 9, x: 9 } }).whenK(5).thenHidden(['school:m', 'school:x']);
  });

  it('a small township takes the county’s smallest other township with it, so the county total does not give it away; each hidden township hides one of its schools', () => {
    // t3 = 3 (its only school c too) is primary. The county (3 + 10 + 40) is exact, so t3 = 53 − 10 − 40
    // unless t1 (the smallest other) is hidden too; then t1 = 10 = a would follow from its schools
    // unless a is hidden; a is also what the county's schools need beside c.
    given({ t1: { a: 10 }, t2: { b: 40 }, t3: { c: 3 } }).whenK(5).thenHidden(['school:a', 'school:c', 'township:t1', 'township:t3']);
  });

  it('a hidden township whose schools are all shown hides its smallest non-zero school, which the township’s own group rule then pairs', () => {
    // t1 = 3 + 0: its small school a is hidden anyway. t2 (the smallest other township, 11) is hidden by
    // the county's townships; its schools b (5) and c (6) are shown, so b is hidden, and then the
    // county's schools group (a, b) is complete. t2's schools are not a published group (t2 is hidden).
    given({ t1: { a: 3, z: 0 }, t2: { b: 5, c: 6 }, t3: { d: 30 } }).whenK(5).thenHidden(['school:a', 'school:b', 'township:t1', 'township:t2']);
  });

  it('repeats until nothing changes: a township hidden in step 2 hides one of its schools in step 1 of the next round', () => {
    // Round 1: t3's shown total takes f with e; the county's townships take t1 (13) with t2 (4); the
    // county's schools (c, e, f) are complete. Round 2: t1 is hidden and none of its schools is: a (6).
    given({ t1: { a: 6, b: 7 }, t2: { c: 4 }, t3: { e: 3, f: 30 }, t4: { g: 50 } })
      .whenK(5)
      .thenHidden(['school:a', 'school:c', 'school:e', 'school:f', 'township:t1', 'township:t2']);
  });

  it('never hides zero, even when the group rule runs out of cells', () => {
    // The county total (3) is exact and t1 is its only non-zero township: nothing else can be hidden.
    given({ t1: { a: 3 }, t2: { b: 0 } }).whenK(5).thenHidden(['school:a', 'township:t1']);
  });

  it('follows INDICATORS.md to the letter where its group rule runs out: a shown township’s only non-zero school, hidden as a partner, stays equal to the township', () => {
    // d (2) is primary; the county's townships take t1 (10, the lower id of a tie) with t3, the county's
    // schools take c (10, the lower id of a tie) with d; t1 then hides x. t2 = 10 is shown and c is its
    // only non-zero school: the group rule finds no partner, so c = t2 can be worked out. It is no
    // small count, and the small d stays hidden (x + d = 12 and t1 + t3 = 12 are one equation).
    given({ t1: { x: 10, y: 0 }, t2: { c: 10 }, t3: { d: 2 } }).whenK(5).thenHidden(['school:c', 'school:d', 'school:x', 'township:t1', 'township:t3']);
  });
});
