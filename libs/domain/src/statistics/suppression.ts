import type { Hidden } from './indicators';
import { NOTHING_HIDDEN } from './indicators';
import type { Cell, UnitMeasures } from './measures';

/** Where a county's schools are: the townships and schools registered in it. */
export interface CountyLayout {
  readonly schools: readonly { readonly schoolId: string; readonly townshipId: string }[];
}

/** One cell's counts in every township and school of a county (a unit missing counts 0). */
export interface CellCounts {
  readonly townships: ReadonlyMap<string, number>;
  readonly schools: ReadonlyMap<string, number>;
}

/** The townships and schools whose cell is shown as `*`; the county's own cell never is. */
export interface SuppressionPattern {
  readonly townships: ReadonlySet<string>;
  readonly schools: ReadonlySet<string>;
}

interface Unit {
  readonly key: string;
  readonly id: string;
  readonly count: number;
}

const byId = (a: { readonly id: string }, b: { readonly id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The group rule of INDICATORS.md: while the group has hidden cells but fewer than two of them, or
 * they sum to less than k, hide its smallest non-zero shown cell (ties: lower unit id). `group` is
 * in unit-id order, so the first smallest is the one with the lower id. True when it hid any.
 */
function applyGroupRule(group: readonly Unit[], hidden: Set<string>, k: number): boolean {
  let changed = false;
  for (;;) {
    const suppressed = group.filter((unit) => hidden.has(unit.key));
    const sum = suppressed.reduce((total, unit) => total + unit.count, 0);
    if (suppressed.length === 0 || (suppressed.length >= 2 && sum >= k)) return changed;
    const next = smallestShown(group, hidden);
    if (next === undefined) return changed;
    hidden.add(next.key);
    changed = true;
  }
}

function smallestShown(group: readonly Unit[], hidden: ReadonlySet<string>): Unit | undefined {
  return group.reduce<Unit | undefined>((best, unit) => (unit.count === 0 || hidden.has(unit.key) || (best !== undefined && best.count <= unit.count) ? best : unit), undefined);
}

/**
 * Primary and secondary (complementary) suppression of one cell in one county, exactly as
 * INDICATORS.md "Small-cell suppression" lays it down: township and school counts from 1 to k−1
 * are hidden, then, until nothing changes, (1) per township in unit-id order the group rule on its
 * schools when the township is shown, or its smallest non-zero school hidden when the township is
 * hidden and none of its non-zero schools is, and (2) the group rule on the county's townships,
 * then on the county's schools. Zero is never hidden.
 */
export function suppressionPattern(layout: CountyLayout, counts: CellCounts, k: number): SuppressionPattern {
  const schoolsOf = new Map<string, Unit[]>();
  for (const { schoolId, townshipId } of layout.schools) {
    const school = { key: `school:${schoolId}`, id: schoolId, count: counts.schools.get(schoolId) ?? 0 };
    schoolsOf.set(townshipId, [...(schoolsOf.get(townshipId) ?? []), school]);
  }
  for (const schools of schoolsOf.values()) schools.sort(byId);
  const townships = [...schoolsOf.keys()].map((id) => ({ key: `township:${id}`, id, count: counts.townships.get(id) ?? 0 })).sort(byId);
  const schools = [...schoolsOf.values()].flat().sort(byId);

  const hidden = new Set<string>([...townships, ...schools].filter((unit) => unit.count >= 1 && unit.count < k).map((unit) => unit.key));
  let changed = true;
  while (changed) {
    changed = false;
    for (const township of townships) {
      const ownSchools = schoolsOf.get(township.id) ?? [];
      if (!hidden.has(township.key)) {
        changed = applyGroupRule(ownSchools, hidden, k) || changed;
      } else if (!ownSchools.some((school) => school.count > 0 && hidden.has(school.key))) {
        const smallest = smallestShown(ownSchools, hidden);
        if (smallest !== undefined) {
          hidden.add(smallest.key);
          changed = true;
        }
      }
    }
    changed = applyGroupRule(townships, hidden, k) || changed;
    changed = applyGroupRule(schools, hidden, k) || changed;
  }
  return {
    townships: new Set(townships.filter((unit) => hidden.has(unit.key)).map((unit) => unit.id)),
    schools: new Set(schools.filter((unit) => hidden.has(unit.key)).map((unit) => unit.id)),
  };
}

/** A county's figures per township and school, as the patterns are made from them. */
export interface CountyMeasures {
  readonly layout: CountyLayout;
  readonly townships: ReadonlyMap<string, UnitMeasures>;
  readonly schools: ReadonlyMap<string, UnitMeasures>;
}

/** The suppression pattern of each cell asked for: computed once, then applied to every view. */
export type CountyPattern = ReadonlyMap<Cell, SuppressionPattern>;

export function countyPattern(county: CountyMeasures, cells: readonly Cell[], k: number): CountyPattern {
  const countsOf = (units: ReadonlyMap<string, UnitMeasures>, cell: Cell) => new Map([...units].map(([id, measures]) => [id, measures[cell]]));
  return new Map(
    [...new Set(cells)].map((cell) => [cell, suppressionPattern(county.layout, { townships: countsOf(county.townships, cell), schools: countsOf(county.schools, cell) }, k)]),
  );
}

/** What a unit hides under a county pattern: the county's own cells are exact, never hidden. */
export function hiddenIn(pattern: CountyPattern, unit: { readonly kind: 'county' | 'township' | 'school'; readonly id: string }): Hidden {
  if (unit.kind === 'county') return NOTHING_HIDDEN;
  return (cell) => {
    const cellPattern = pattern.get(cell);
    if (cellPattern === undefined) throw new RangeError(`no suppression pattern for ${cell}`);
    return (unit.kind === 'township' ? cellPattern.townships : cellPattern.schools).has(unit.id);
  };
}
