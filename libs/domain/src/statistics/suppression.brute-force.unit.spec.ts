import type { CellCounts, CountyLayout, SuppressionPattern } from './suppression';
import { suppressionPattern } from './suppression';

/** Deterministic generator (a 32-bit LCG), so that a failing county can be reproduced from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

interface County {
  readonly layout: CountyLayout;
  readonly counts: CellCounts;
  readonly total: number;
}

/** 1–4 townships of 1–4 schools, each count 0, small (1..k−1) or larger; townships and county are sums. */
function randomCounty(next: () => number, k: number): County {
  const schools: { schoolId: string; townshipId: string }[] = [];
  const schoolCounts = new Map<string, number>();
  const townshipCounts = new Map<string, number>();
  const townships = 1 + Math.floor(next() * 4);
  for (let t = 0; t < townships; t++) {
    const townshipId = `t${t}`;
    let sum = 0;
    for (let s = 0, n = 1 + Math.floor(next() * 4); s < n; s++) {
      const schoolId = `s${100 + Math.floor(next() * 900)}.${t}${s}`;
      const kind = next();
      const count = kind < 0.25 ? 0 : kind < 0.7 ? 1 + Math.floor(next() * (k - 1)) : k * (1 + Math.floor(next() * 2));
      schools.push({ schoolId, townshipId });
      schoolCounts.set(schoolId, count);
      sum += count;
    }
    townshipCounts.set(townshipId, sum);
  }
  return { layout: { schools }, counts: { townships: townshipCounts, schools: schoolCounts }, total: [...townshipCounts.values()].reduce((a, b) => a + b, 0) };
}

/** Rank of a matrix of small integers (Gaussian elimination; the entries stay exact in doubles here). */
function rank(rows: readonly number[][]): number {
  const m = rows.map((row) => [...row]);
  let r = 0;
  for (let column = 0; column < (m[0]?.length ?? 0) && r < m.length; column++) {
    const pivot = m.findIndex((row, i) => i >= r && Math.abs(row[column]) > 1e-9);
    if (pivot === -1) continue;
    [m[r], m[pivot]] = [m[pivot], m[r]];
    for (let i = 0; i < m.length; i++) {
      if (i === r || Math.abs(m[i][column]) < 1e-9) continue;
      const factor = m[i][column] / m[r][column];
      m[i] = m[i].map((value, j) => value - factor * m[r][j]);
    }
    r++;
  }
  return r;
}

/**
 * The hidden cells an attacker can work out by subtracting published cells within the groups:
 * each group (the county's townships, the county's schools, each township's schools) sums to a
 * total, the county's published, a township's published or unknown. A hidden cell is recoverable
 * when it is a linear combination of the groups' equations: its unit vector lies in their row space.
 */
function recoverable(county: County, pattern: SuppressionPattern): string[] {
  const unknown = [...[...pattern.townships].map((id) => `township:${id}`), ...[...pattern.schools].map((id) => `school:${id}`)];
  const column = new Map(unknown.map((key, i) => [key, i]));
  const equation = (members: readonly string[], total: string | null) => {
    const row = new Array<number>(unknown.length).fill(0);
    for (const member of members) if (column.has(member)) row[column.get(member) as number] += 1;
    if (total !== null && column.has(total)) row[column.get(total) as number] -= 1;
    return row;
  };
  const townshipIds = [...county.counts.townships.keys()];
  const schoolsOf = (townshipId: string) => county.layout.schools.filter((s) => s.townshipId === townshipId).map((s) => `school:${s.schoolId}`);
  const equations = [
    equation(townshipIds.map((id) => `township:${id}`), null),
    equation(county.layout.schools.map((s) => `school:${s.schoolId}`), null),
    ...townshipIds.map((id) => equation(schoolsOf(id), `township:${id}`)),
  ];
  const base = rank(equations);
  return unknown.filter((_, i) => rank([...equations, unknown.map((__, j) => (i === j ? 1 : 0))]) === base);
}

/** Every non-zero cell hidden: what no pattern can hide more than (zero is never hidden). */
function everythingHidden(county: County): SuppressionPattern {
  const nonZero = (counts: ReadonlyMap<string, number>) => new Set([...counts].filter(([, count]) => count > 0).map(([id]) => id));
  return { townships: nonZero(county.counts.townships), schools: nonZero(county.counts.schools) };
}

const countOf = (county: County, cell: string) => {
  const [kind, id] = cell.split(/:(.*)/s);
  return (kind === 'township' ? county.counts.townships : county.counts.schools).get(id) ?? 0;
};

describe('small-cell suppression, brute force on random small counties', () => {
  // Random township and school ids, counts 0, 1..k−1, k or 2k (so that ties are common), k from 3 to 6.
  const counties = Array.from({ length: 5000 }, (_, i) => {
    const seed = i + 1;
    const k = 3 + (seed % 4);
    const county = randomCounty(random(seed), k);
    const pattern = suppressionPattern(county.layout, county.counts, k);
    // A cell recoverable even when every non-zero cell is hidden is given away by the county's exact
    // total (a county whose children are all in one school): no pattern can hide it.
    const unavoidable = new Set(recoverable(county, everythingHidden(county)));
    const leaked = recoverable(county, pattern).filter((cell) => !unavoidable.has(cell));
    return { seed, k, county, pattern, leaked };
  });

  it('hides many cells, primary and secondary', () => {
    expect(counties.reduce((sum, { pattern }) => sum + pattern.townships.size + pattern.schools.size, 0)).toBeGreaterThan(15_000);
    expect(counties.filter(({ county, pattern, k }) => [...pattern.schools].some((id) => (county.counts.schools.get(id) ?? 0) >= k)).length).toBeGreaterThan(1000);
  });

  it('leaves no small count (1..k−1) recoverable by subtraction within the groups, but those the exact county total itself reveals', () => {
    const failures = counties
      .filter(({ county, leaked, k }) => leaked.some((cell) => countOf(county, cell) < k))
      .map(({ seed, k, leaked, county }) => `seed ${seed} k ${k}: ${leaked.join(', ')} of ${JSON.stringify([...county.counts.schools])}`);
    expect(failures).toEqual([]);
  });

  it('leaves a secondary cell (≥ k) recoverable only where INDICATORS.md’s group rule runs out of cells: the only non-zero school of a shown township', () => {
    for (const { county, pattern, leaked, k } of counties) {
      for (const cell of leaked) {
        const [kind, id] = cell.split(/:(.*)/s);
        expect({ cell, kind, atLeastK: countOf(county, cell) >= k }).toEqual({ cell, kind: 'school', atLeastK: true });
        const { townshipId } = county.layout.schools.find((school) => school.schoolId === id) as { townshipId: string };
        expect(pattern.townships.has(townshipId)).toBe(false);
        expect(county.layout.schools.filter((s) => s.townshipId === townshipId && s.schoolId !== id && (county.counts.schools.get(s.schoolId) ?? 0) > 0)).toEqual([]);
      }
    }
  });
});
