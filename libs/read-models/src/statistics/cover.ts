import { DAY_MS, countyDateOf, startOfDay } from '@lbc/domain';

/**
 * The care activities a child in care is judged by at a moment (INDICATORS.md `careCadence`,
 * `familyContact30d`, `healthCheckRate`): each holds while the moment lies within its window after
 * such an activity.
 */
export const COVERS = ['talk7d', 'contact30d', 'homeVisit92d', 'aidSemester', 'parentMeeting365d', 'familyContact30d', 'healthChecked'] as const;
export type Cover = (typeof COVERS)[number];

const KIND_COVERS: Readonly<Record<string, readonly [Cover, number | 'semester' | 'school-year']>> = {
  talk: ['talk7d', 7],
  'guardian-contact': ['contact30d', 30],
  'home-visit': ['homeVisit92d', 92],
  aid: ['aidSemester', 'semester'],
  'parent-meeting': ['parentMeeting365d', 365],
  'family-call': ['familyContact30d', 30],
  'video-call': ['familyContact30d', 30],
  'health-check': ['healthChecked', 'school-year'],
};

export const COVER_KINDS = Object.keys(KIND_COVERS);

/** The start of the semester (or school year) after the one containing the instant. */
function nextTermStart(at: number, term: 'semester' | 'school-year'): number {
  const date = countyDateOf(at);
  const [year, month] = [Number(date.slice(0, 4)), Number(date.slice(5, 7))];
  if (term === 'school-year') return startOfDay(`${month >= 9 ? year + 1 : year}-09-01`);
  if (month >= 9) return startOfDay(`${year + 1}-02-01`);
  return startOfDay(month === 1 ? `${year}-02-01` : `${year}-09-01`);
}

/**
 * What an activity of `kind` at `at` covers: the figure as of asOf counts it exactly when the
 * instant after asOf, E, lies in (`from`, `to`] — "in the last N days" is `at` ≥ E − N days, and
 * "this semester" (school year) is `at` in the one containing asOf. Null for other kinds.
 */
export function coverOf(kind: string, at: number): { cover: Cover; from: number; to: number } | null {
  const window = KIND_COVERS[kind];
  if (!window) return null;
  const [cover, length] = window;
  return { cover, from: at, to: typeof length === 'number' ? at + length * DAY_MS : nextTermStart(at, length) };
}

/**
 * The earliest instant at which an activity of `kind` still covers `end` (its window reaches it):
 * `end` less the window for windows of N days; `otherwise` for term windows.
 */
export function earliestCovering(kind: string, end: number, otherwise: number): number {
  const length = KIND_COVERS[kind]?.[1];
  return typeof length === 'number' ? end - length * DAY_MS : otherwise;
}

/** Unions of overlapping or touching intervals, per cover. */
export function mergedCovers(intervals: readonly { cover: Cover; from: number; to: number }[]): { cover: Cover; from: number; to: number }[] {
  const merged: { cover: Cover; from: number; to: number }[] = [];
  const sorted = [...intervals].sort((a, b) => (a.cover < b.cover ? -1 : a.cover > b.cover ? 1 : a.from - b.from));
  for (const interval of sorted) {
    const last = merged[merged.length - 1];
    if (last && last.cover === interval.cover && interval.from <= last.to) last.to = Math.max(last.to, interval.to);
    else merged.push({ ...interval });
  }
  return merged;
}
