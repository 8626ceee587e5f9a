import { countyDateOf, mergePersonalFields, schoolYearOf } from '@lbc/domain';

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
  /** Schools at which the child is in care (normally one; none when not in care). */
  readonly inCareAt: readonly string[];
  /** Schools at which the child is enrolled. */
  readonly enrolledAt: readonly string[];
  readonly category: string;
  readonly guardianType: string;
  readonly archiveComplete: boolean;
  /** Whether a risk flag is open. */
  readonly flagged: boolean;
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

/** The fold of a child's state facts, one fact at a time in occurred-time order. */
class ChildFold {
  registered = false;
  private category = '';
  private parentsAway = 'none';
  private guardianType = 'none';
  private personalFields: readonly string[] = [];
  private leftBehindActive = true;
  private droppedOutAt: number | null = null;
  private lastSchool: string | null = null;
  private readonly enrolled = new Map<string, boolean>();
  private readonly flags = new Set<string>();
  private readonly pairings = new Map<string, string>();

  isEnrolledAt(school: string): boolean {
    return this.enrolled.get(school) === true;
  }

  enrolledAt(): string[] {
    return [...this.enrolled].filter(([, is]) => is).map(([school]) => school);
  }

  private inCare(): boolean {
    return this.registered && (this.category !== 'left-behind' || this.leftBehindActive) && [...this.enrolled.values()].some(Boolean);
  }

  apply(fact: ChildStateFact): void {
    const before = this.inCare();
    switch (fact.type) {
      case 'registered':
        this.registered = true;
        ({ category: this.category, parentsAway: this.parentsAway, guardianType: this.guardianType } = fact);
        this.personalFields = [...fact.personalFields].sort();
        this.leftBehindActive = true;
        this.enrolled.set(fact.schoolId, true);
        this.droppedOutAt = null;
        this.lastSchool = fact.schoolId;
        break;
      case 'enrollment':
        if (fact.change === 'promoted') break;
        this.enrolled.set(fact.schoolId, ENROLS.has(fact.change));
        this.droppedOutAt = fact.change === 'dropped-out' ? fact.at : null;
        this.lastSchool = fact.schoolId;
        break;
      case 'archive':
        this.parentsAway = fact.parentsAway ?? this.parentsAway;
        this.personalFields = mergePersonalFields(this.personalFields, fact.personalFields);
        break;
      case 'guardianship':
        this.guardianType = fact.guardianType;
        this.personalFields = mergePersonalFields(this.personalFields, fact.personalFields, ['guardian']);
        break;
      case 'status':
        this.leftBehindActive = fact.change === 'resumed';
        this.parentsAway = fact.parentsAway ?? this.parentsAway;
        break;
      case 'risk':
        if (fact.change === 'flagged') this.flags.add(fact.flag);
        else this.flags.delete(fact.flag);
        break;
      case 'pairing':
        if (fact.change === 'started' && fact.carerId !== null) this.pairings.set(fact.pairingId, fact.carerId);
        else this.pairings.delete(fact.pairingId);
        break;
    }
    if (before && !this.inCare()) this.pairings.clear();
  }

  state(): Omit<ChildState, 'enrolledSince'> {
    const enrolledAt = this.enrolledAt();
    const inCare = this.inCare();
    return {
      category: this.category,
      guardianType: this.guardianType,
      archiveComplete: isArchiveComplete(this.personalFields, this.parentsAway),
      flagged: this.flags.size > 0,
      inCareAt: inCare ? enrolledAt : [],
      enrolledAt,
      pairings: inCare ? [...this.pairings].map(([pairingId, carerId]) => ({ pairingId, carerId })) : [],
      droppedOutAt: this.droppedOutAt,
      lastSchool: this.lastSchool,
    };
  }
}

/**
 * A child's state at the instant `until` (inclusive), folded from its facts in occurred-time
 * order (INDICATORS.md "Who counts"). `facts` must be sorted by `byOccurrence`. Per school, the
 * latest enrollment fact there decides whether the child is enrolled; a pairing ends when
 * `PairingEnded` or when the child stops being in care (anywhere), as the child's own fold does.
 * `since` marks the start of the period for `enrolledSince` (the school year's start).
 */
export function childStateAt(facts: readonly ChildStateFact[], until: number, since: number): ChildState | null {
  const fold = new ChildFold();
  const enrolledSince = new Set<string>();
  let sinceTaken = false;
  for (const fact of facts) {
    if (fact.at > until) break;
    if (!sinceTaken && fact.at >= since) {
      for (const school of fold.enrolledAt()) enrolledSince.add(school);
      sinceTaken = true;
    }
    // A school the child enrols at, or leaves, within the period: it was enrolled there at some moment of it.
    if (sinceTaken && (fact.type === 'registered' || (fact.type === 'enrollment' && fact.change !== 'promoted'))) {
      if (fact.type === 'registered' || ENROLS.has(fact.change) || fold.isEnrolledAt(fact.schoolId)) enrolledSince.add(fact.schoolId);
    }
    fold.apply(fact);
  }
  if (!fold.registered) return null;
  if (!sinceTaken) for (const school of fold.enrolledAt()) enrolledSince.add(school);
  return { ...fold.state(), enrolledSince: [...enrolledSince] };
}

/** A child's state between two of its facts: from the instant `from` (exclusive) to `to` (inclusive, null: for ever). */
export interface ChildSegment {
  readonly from: number;
  readonly to: number | null;
  readonly state: Omit<ChildState, 'enrolledSince'>;
  /**
   * Schools at which the child was enrolled at some moment of the school year of `from`, from
   * that year's start up to this segment: `enrolledSince` (the year's start) of any moment the
   * segment holds, when the segment starts within that year.
   */
  readonly enrolledInYear: readonly string[];
}

/**
 * The child's states over occurred time, one per fact from its registration on: the state after
 * the facts before an instant E is the segment with `from` < E ≤ `to`. Facts of one instant give
 * empty segments (`from` = `to`): no instant sees them, but they were enrolled "at some moment".
 */
export function childSegments(facts: readonly ChildStateFact[]): ChildSegment[] {
  const fold = new ChildFold();
  const segments: ChildSegment[] = [];
  let year = Number.NaN;
  let inYear = new Set<string>();
  facts.forEach((fact, i) => {
    fold.apply(fact);
    if (!fold.registered) return;
    const state = fold.state();
    const factYear = schoolYearOf(countyDateOf(fact.at));
    if (factYear !== year) {
      // The segment before spans the year's start: its schools were enrolled at that moment.
      inYear = new Set(segments.length > 0 ? segments[segments.length - 1].state.enrolledAt : []);
      year = factYear;
    }
    for (const school of state.enrolledAt) inYear.add(school);
    segments.push({ from: fact.at, to: i + 1 < facts.length ? facts[i + 1].at : null, state, enrolledInYear: [...inYear] });
  });
  return segments;
}
