import { mergePersonalFields } from '@lbc/domain';

/** One fact of a child's history that its state at a moment depends on; `at` is `occurredAt` in epoch ms. */
export type ChildStateFact = {
  readonly at: number;
  readonly position: number;
} & (
  | {
      readonly type: 'registered';
      readonly schoolId: string;
      readonly category: string;
      readonly parentsAway: string;
      readonly guardianType: string;
      readonly personalFields: readonly string[];
    }
  | {
      readonly type: 'enrollment';
      readonly change: string;
      readonly schoolId: string;
    }
  | {
      readonly type: 'archive';
      readonly parentsAway: string | null;
      readonly personalFields: readonly string[];
    }
  | {
      readonly type: 'guardianship';
      readonly guardianType: string;
      readonly personalFields: readonly string[];
    }
  | {
      readonly type: 'status';
      readonly change: 'ended' | 'resumed';
      readonly parentsAway: string | null;
    }
  | {
      readonly type: 'risk';
      readonly flag: string;
      readonly change: 'flagged' | 'cleared';
    }
  | {
      readonly type: 'pairing';
      readonly pairingId: string;
      readonly change: 'started' | 'ended';
      readonly carerId: string | null;
    }
);

/** Occurred-time order; facts of one instant keep stream order. */
export const byOccurrence = (a: ChildStateFact, b: ChildStateFact) => a.at - b.at || a.position - b.position;

export interface ChildState {
  readonly category: string;
  readonly guardianType: string;
  readonly archiveComplete: boolean;
  readonly flagged: boolean;
  /** Schools at which the child is in care (normally one; none when not in care). */
  readonly inCareAt: readonly string[];
  /** Schools at which the child is enrolled. */
  readonly enrolledAt: readonly string[];
  /** Active pairings (empty when the child is not in care), before carer retirements are applied. */
  readonly pairings: readonly {
    readonly pairingId: string;
    readonly carerId: string;
  }[];
  /** Schools at which the child was enrolled at any moment of [`since`, the moment judged]. */
  readonly enrolledSince: readonly string[];
  /** When the child dropped out, if its enrollment at the moment judged is dropped-out; else null. */
  readonly droppedOutAt: number | null;
  /** The school of the child's latest enrollment fact (registration included), null before registration. */
  readonly lastSchool: string | null;
}

const ENROLS = new Set(['transferred-in', 'returned']);

/**
 * 建档 complete (INDICATORS.md `archiveCompleteness`), from the personal field paths: guardian
 * name and phone, home address and, when parents are away, one parent with phone and work city.
 */
export function isArchiveComplete(personalFields: readonly string[], parentsAway: string): boolean {
  const has = new Set(personalFields);
  if (!(has.has('guardian.name') && has.has('guardian.phone') && has.has('homeAddress'))) return false;
  if (parentsAway === 'none') return true;
  return personalFields.some((path) => {
    const parent = /^parents\[\d+\]/.exec(path)?.[0];
    return parent !== undefined && has.has(`${parent}.phone`) && has.has(`${parent}.workCity`);
  });
}

/**
 * A child's state at the instant `until` (inclusive), folded from its facts in occurred-time
 * order (INDICATORS.md "Who counts"). `facts` must be sorted by `byOccurrence`. Per school, the
 * latest enrollment fact there decides whether the child is enrolled; a pairing ends when
 * `PairingEnded` or when the child stops being in care (anywhere), as the child's own fold does.
 * `since` marks the start of the period for `enrolledSince` (the school year's start).
 */
export function childStateAt(facts: readonly ChildStateFact[], until: number, since: number): ChildState | null {
  let registered = false;
  let category = '';
  let parentsAway = 'none';
  let guardianType = 'none';
  let personalFields: readonly string[] = [];
  let leftBehindActive = true;
  let droppedOutAt: number | null = null;
  let lastSchool: string | null = null;
  const enrolled = new Map<string, boolean>();
  const flags = new Set<string>();
  const pairings = new Map<string, string>();
  const enrolledSince = new Set<string>();
  let sinceTaken = false;
  const takeSince = () => {
    for (const [school, is] of enrolled) if (is) enrolledSince.add(school);
    sinceTaken = true;
  };
  const inCare = () => registered && (category !== 'left-behind' || leftBehindActive) && [...enrolled.values()].some(Boolean);
  for (const fact of facts) {
    if (fact.at > until) break;
    if (!sinceTaken && fact.at >= since) takeSince();
    const before = inCare();
    switch (fact.type) {
      case 'registered':
        registered = true;
        ({ category, parentsAway, guardianType } = fact);
        personalFields = [...fact.personalFields].sort();
        leftBehindActive = true;
        enrolled.set(fact.schoolId, true);
        droppedOutAt = null;
        lastSchool = fact.schoolId;
        if (sinceTaken) enrolledSince.add(fact.schoolId);
        break;
      case 'enrollment': {
        if (fact.change === 'promoted') break;
        const enrols = ENROLS.has(fact.change);
        if (sinceTaken && (enrols || enrolled.get(fact.schoolId))) enrolledSince.add(fact.schoolId);
        enrolled.set(fact.schoolId, enrols);
        droppedOutAt = fact.change === 'dropped-out' ? fact.at : null;
        lastSchool = fact.schoolId;
        break;
      }
      case 'archive':
        parentsAway = fact.parentsAway ?? parentsAway;
        personalFields = mergePersonalFields(personalFields, fact.personalFields);
        break;
      case 'guardianship':
        guardianType = fact.guardianType;
        personalFields = mergePersonalFields(personalFields, fact.personalFields, ['guardian']);
        break;
      case 'status':
        leftBehindActive = fact.change === 'resumed';
        parentsAway = fact.parentsAway ?? parentsAway;
        break;
      case 'risk':
        if (fact.change === 'flagged') flags.add(fact.flag);
        else flags.delete(fact.flag);
        break;
      case 'pairing':
        if (fact.change === 'started' && fact.carerId !== null) pairings.set(fact.pairingId, fact.carerId);
        else pairings.delete(fact.pairingId);
        break;
    }
    if (before && !inCare()) pairings.clear();
  }
  if (!registered) return null;
  if (!sinceTaken) takeSince();
  const enrolledAt = [...enrolled].filter(([, is]) => is).map(([school]) => school);
  const careful = inCare();
  return {
    category,
    guardianType,
    archiveComplete: isArchiveComplete(personalFields, parentsAway),
    flagged: flags.size > 0,
    inCareAt: careful ? enrolledAt : [],
    enrolledAt,
    pairings: careful ? [...pairings].map(([pairingId, carerId]) => ({ pairingId, carerId })) : [],
    enrolledSince: [...enrolledSince],
    droppedOutAt,
    lastSchool,
  };
}
