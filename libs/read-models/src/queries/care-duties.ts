import { DAY_MS, endOfDay, semesterOf, startOfDay } from '@lbc/domain';

/**
 * The care cadence 五个一 (INDICATORS.md `careCadence`): each duty is an activity kind a paired
 * child must have had within its window — the last N days, or the current semester.
 */
export const CARE_DUTIES = [
  { duty: 'talk', window: 7 },
  { duty: 'guardian-contact', window: 30 },
  { duty: 'home-visit', window: 92 },
  { duty: 'aid', window: 'semester' },
  { duty: 'parent-meeting', window: 365 },
] as const;

export type CareDuty = (typeof CARE_DUTIES)[number]['duty'];

/**
 * Per duty, the instant (epoch ms) an activity must be later than to count as of `asOf`:
 * "in the last N days" is (end of asOf − N×24 h, end of asOf]; "this semester" starts at the
 * semester's first midnight.
 */
export function careDutyWindows(asOf: string): { readonly duty: CareDuty; readonly after: number }[] {
  const end = endOfDay(asOf);
  return CARE_DUTIES.map(({ duty, window }) => ({
    duty,
    after: window === 'semester' ? startOfDay(semesterOf(asOf).start) - 1 : end - window * DAY_MS,
  }));
}
