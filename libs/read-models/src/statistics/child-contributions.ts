import { DAY_MS, GUARDIAN_TYPES, countyDateOf, schoolYearOf, startOfDay } from '@lbc/domain';
import type { ChildSegment } from './child-history';
import type { Cover } from './cover';

/**
 * What one child adds, on one county date, to the figures of the schools it counts at: the
 * per-child state measures of INDICATORS.md, each 0 or 1. A county's figures as of D are then the
 * sums of every contribution's changes up to D — O(schools × days) rows, never one per child.
 */
export const MEASURES = [
  'in_care',
  'left_behind',
  'archive_complete',
  'paired',
  'flagged',
  'flagged_paired',
  'talk7d',
  'contact30d',
  'home_visit92d',
  'aid_semester',
  'parent_meeting365d',
  'family_contact30d',
  'health_checked',
  ...GUARDIAN_TYPES.map((type) => `guardian_${type.replace(/-/g, '_')}`),
  'cohort',
  'dropped_out',
  'pairings',
] as const;
export type Measure = (typeof MEASURES)[number];

const INDEX = new Map<string, number>(MEASURES.map((measure, i) => [measure, i]));
const at = (measure: string) => INDEX.get(measure) as number;

const CADENCE_MEASURES: readonly [Cover, Measure][] = [
  ['talk7d', 'talk7d'],
  ['contact30d', 'contact30d'],
  ['homeVisit92d', 'home_visit92d'],
  ['aidSemester', 'aid_semester'],
  ['parentMeeting365d', 'parent_meeting365d'],
];

/**
 * Contributions are keyed by the set of schools they count at (a child counts once in a township
 * or the county however many of its schools lie there): `i:` the schools where the child is in
 * care, `y:` those of its dropout cohort, and `p:` a carer with those where the child is in care
 * (`pairings`: the child's active pairings with the carer; carer loads are counted per carer).
 */
export const IN_CARE_KEY = 'i:';
export const COHORT_KEY = 'y:';
export const CARER_KEY = 'p:';
const keyOf = (prefix: string, schools: readonly string[]) => prefix + [...schools].sort().join(',');
const carerKeyOf = (carerId: string, schools: readonly string[]) => `${CARER_KEY}${carerId}\t${[...schools].sort().join(',')}`;

/** The schools of a key, and its carer (for `p:` keys). */
export function keyParts(key: string): { schools: string[]; carerId: string | null } {
  const tab = key.startsWith(CARER_KEY) ? key.indexOf('\t') : 1;
  const schools = key.slice(tab + 1);
  return { schools: schools.length > 0 ? schools.split(',') : [], carerId: tab > 1 ? key.slice(2, tab) : null };
}

/** A change of a child's contribution: from `day` (a county date) on, `v` (by `MEASURES`) is added to the schools of `key`. */
export interface ContributionDelta {
  readonly key: string;
  readonly day: string;
  readonly v: number[];
}

/** What a child's figures depend on beyond its state facts. */
export interface ChildContext {
  /** The windows of its care activities not voided, merged per cover: each holds for an instant E in (`from`, `to`]. */
  readonly covers: readonly { readonly cover: Cover; readonly from: number; readonly to: number }[];
  /** Per carer, the earliest retirement: its pairings are not active for an instant E after it. */
  readonly retiredAt: ReadonlyMap<string, number>;
}

/** The child's contribution as of `day`: its vector per key (the figures read the state at E, the instant after that day). */
function contributionAt(segments: readonly ChildSegment[], context: ChildContext, day: string): Map<string, number[]> {
  const end = startOfDay(day) + DAY_MS;
  const out = new Map<string, number[]>();
  // The segment holding E (`from` < E ≤ `to`): the last one starting before E.
  let low = 0;
  let high = segments.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (segments[mid].from < end) low = mid + 1;
    else high = mid;
  }
  if (low === 0) return out;
  const segment = segments[low - 1];
  const { state } = segment;
  if (state.inCareAt.length > 0) {
    const v = new Array<number>(MEASURES.length).fill(0);
    // The covers holding at E, found in one pass over the child's windows.
    const covered = new Set<Cover>();
    for (const window of context.covers) if (window.from < end && end <= window.to) covered.add(window.cover);
    const has = (cover: Cover) => covered.has(cover);
    const active = state.pairings.filter((pairing) => !((context.retiredAt.get(pairing.carerId) ?? Infinity) < end));
    const paired = active.length > 0;
    v[at('in_care')] = 1;
    if (state.category === 'left-behind') v[at('left_behind')] = 1;
    if (state.archiveComplete) v[at('archive_complete')] = 1;
    if (paired) v[at('paired')] = 1;
    if (state.flagged) v[at('flagged')] = 1;
    if (state.flagged && paired) v[at('flagged_paired')] = 1;
    if (paired) for (const [cover, measure] of CADENCE_MEASURES) if (has(cover)) v[at(measure)] = 1;
    if (has('familyContact30d')) v[at('family_contact30d')] = 1;
    if (has('healthChecked')) v[at('health_checked')] = 1;
    v[at(`guardian_${state.guardianType.replace(/-/g, '_')}`)] = 1;
    out.set(keyOf(IN_CARE_KEY, state.inCareAt), v);
    for (const { carerId } of active) {
      const key = carerKeyOf(carerId, state.inCareAt);
      const load = out.get(key) ?? new Array<number>(MEASURES.length).fill(0);
      load[at('pairings')] += 1;
      out.set(key, load);
    }
  }
  const yearStart = startOfDay(`${schoolYearOf(day)}-09-01`);
  const cohort = segment.from < yearStart ? state.enrolledAt : segment.enrolledInYear;
  if (cohort.length > 0) {
    const v = new Array<number>(MEASURES.length).fill(0);
    v[at('cohort')] = 1;
    if (state.droppedOutAt !== null && state.droppedOutAt >= yearStart) v[at('dropped_out')] = 1;
    out.set(keyOf(COHORT_KEY, cohort), v);
  }
  return out;
}

/**
 * A child's contributions over county dates, as changes: the figures as of D hold the sum of the
 * changes on days ≤ D. The contribution can only change on the county date of an instant it
 * depends on (a state's start or end, a window's edge, a retirement) or on 1 September (the
 * dropout cohort's school year), so it is evaluated on those days alone. With `from` (a county
 * date), only the changes on days from it on, the contribution of the day before as the start:
 * what a fact changes from its own day on, when the changes before that day stand.
 */
export function childContributions(segments: readonly ChildSegment[], context: ChildContext, from: string | null = null): ContributionDelta[] {
  if (segments.length === 0) return [];
  const instants: number[] = [];
  for (const segment of segments) {
    instants.push(segment.from);
    if (segment.to !== null) instants.push(segment.to);
    for (const pairing of segment.state.pairings) {
      const retired = context.retiredAt.get(pairing.carerId);
      if (retired !== undefined) instants.push(retired);
    }
  }
  for (const window of context.covers) instants.push(window.from, window.to);
  const days = new Set(instants.map((instant) => countyDateOf(instant)));
  // The cohort is judged per school year: from the first state's year to the year after the last change.
  const sorted = [...days].sort();
  const lastYear = schoolYearOf(sorted[sorted.length - 1]) + 1;
  for (let year = schoolYearOf(sorted[0]) + 1; year <= lastYear; year++) days.add(`${year}-09-01`);

  const deltas: ContributionDelta[] = [];
  let before = from === null ? new Map<string, number[]>() : contributionAt(segments, context, countyDateOf(startOfDay(from) - 1));
  for (const day of [...days].sort()) {
    if (from !== null && day < from) continue;
    const now = contributionAt(segments, context, day);
    for (const key of new Set([...before.keys(), ...now.keys()])) {
      const was = before.get(key);
      const is = now.get(key);
      const v = MEASURES.map((_, i) => (is?.[i] ?? 0) - (was?.[i] ?? 0));
      if (v.some((n) => n !== 0)) deltas.push({ key, day, v });
    }
    before = now;
  }
  return deltas;
}
