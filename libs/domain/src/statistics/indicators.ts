import type { GuardianType } from '../interchange/enumerations';
import { GUARDIAN_TYPES } from '../interchange/enumerations';
import type { Attached, Cell, UnitMeasures } from './measures';
import { ATTACHED_TO, CELLS } from './measures';

/** How a suppressed count reads, primary or secondary alike (INDICATORS.md "How it reads"). */
export const SUPPRESSED = '*';
export type Count = number | typeof SUPPRESSED;
/** A fraction in [0, 1]; null when its denominator is zero or a count it is made of is hidden. */
export type Share = number | null;

// The groups whose shape a unit's raw figures (read models) and its indicators share: counts `C`, shares `S`.
export interface AidFigures<C> {
  readonly personTimes: C;
  readonly yuan: C;
}
/** `withinDeadline`: per party, of the incidents counted, those notified within the party's deadline. */
export interface IncidentFigures<C, S> {
  readonly count: C;
  readonly withinDeadline: { readonly guardian: S; readonly parents: S; readonly educationBureau: S; readonly townshipGovernment: S };
  readonly open: C;
}
export interface CareHomeFigures<C> {
  readonly homes: C;
  readonly childrenServed: C;
  readonly activities: C;
}
export interface VolunteerFigures<C> {
  readonly active: C;
  readonly pairings: C;
  readonly activities: C;
}
/** Among the paired children in care, those with each kind of care within its window. */
export interface CadenceFigures<S> {
  readonly talk7d: S;
  readonly contact30d: S;
  readonly homeVisit92d: S;
  readonly aidSemester: S;
  readonly parentMeeting365d: S;
}
export interface FigureGroups<C, S> {
  readonly aid: AidFigures<C>;
  readonly incidents: IncidentFigures<C, S>;
  readonly careHomes: CareHomeFigures<C>;
  readonly volunteers: VolunteerFigures<C>;
}

export interface Indicators extends FigureGroups<Count, Share> {
  readonly childrenInCare: Count;
  readonly leftBehindChildren: Count;
  readonly pupils: Count;
  readonly pupilShare: Share;
  readonly archiveCompleteness: Share;
  readonly pairingCoverage: Share;
  readonly carerLoad: { readonly carers: Count; readonly mean: number | null; readonly max: Count; readonly overLimit: Count };
  readonly guardianshipCoverage: Share;
  readonly guardianshipByType: Readonly<Record<GuardianType, Count>>;
  readonly careCadence: { readonly paired: Count } & CadenceFigures<Share>;
  readonly familyContact30d: Share;
  readonly dropoutRate: Share;
  readonly retentionRate: Share;
  readonly returnedAfterDropout: Count;
  readonly healthCheckRate: Share;
  readonly keyAssistance: { readonly children: Count; readonly pairedShare: Share };
}
export type IndicatorKey = keyof Indicators;

/** Whether a cell is hidden in the unit being shown (never, for an unsuppressed view). */
export type Hidden = (cell: Cell) => boolean;
export const NOTHING_HIDDEN: Hidden = () => false;

interface Reader {
  count(cell: Cell): Count;
  attached(value: Attached): Count;
  /**
   * `numerator / denominator`, null when the denominator is zero or either count is hidden. A
   * numerator from 1 to k−1 is always hidden where suppression applies (each numerator is a cell,
   * so its primary step hides it), which makes the share null as INDICATORS.md requires.
   */
  ratio(numerator: Cell, denominator: Cell): number | null;
}

function readerOf(measures: UnitMeasures, hidden: Hidden): Reader {
  return {
    count: (cell) => (hidden(cell) ? SUPPRESSED : measures[cell]),
    attached: (value) => (hidden(ATTACHED_TO[value]) ? SUPPRESSED : measures[value]),
    ratio: (numerator, denominator) => (hidden(numerator) || hidden(denominator) || measures[denominator] === 0 ? null : measures[numerator] / measures[denominator]),
  };
}

interface Definition<K extends IndicatorKey> {
  /** The cells the indicator shows, as counts or inside shares: its suppression depends on exactly these. */
  readonly cells: readonly Cell[];
  readonly value: (read: Reader) => Indicators[K];
}

/** The cells of a group of figures (`incidents` → `incidents.count`, `incidents.open`, …). */
const cellsUnder = (group: string): readonly Cell[] => CELLS.filter((cell) => cell.startsWith(`${group}.`));

const dropoutRate = (read: Reader) => read.ratio('dropout.droppedOut', 'dropout.cohort');

/** Every indicator of INDICATORS.md, in its order: which cells it is made of, and how. */
const DEFINITIONS: { readonly [K in IndicatorKey]: Definition<K> } = {
  childrenInCare: { cells: ['childrenInCare'], value: (read) => read.count('childrenInCare') },
  leftBehindChildren: { cells: ['leftBehindChildren'], value: (read) => read.count('leftBehindChildren') },
  pupils: { cells: ['pupils'], value: (read) => read.count('pupils') },
  pupilShare: { cells: ['leftBehindChildren', 'pupils'], value: (read) => read.ratio('leftBehindChildren', 'pupils') },
  archiveCompleteness: { cells: ['archiveComplete', 'childrenInCare'], value: (read) => read.ratio('archiveComplete', 'childrenInCare') },
  pairingCoverage: { cells: ['paired', 'childrenInCare'], value: (read) => read.ratio('paired', 'childrenInCare') },
  carerLoad: {
    cells: cellsUnder('carerLoad'),
    value: (read) => ({
      carers: read.count('carerLoad.carers'),
      mean: read.ratio('carerLoad.pairings', 'carerLoad.carers'),
      max: read.attached('carerLoad.max'),
      overLimit: read.count('carerLoad.overLimit'),
    }),
  },
  guardianshipCoverage: { cells: ['guardianNotNone', 'childrenInCare'], value: (read) => read.ratio('guardianNotNone', 'childrenInCare') },
  guardianshipByType: {
    cells: cellsUnder('guardianshipByType'),
    value: (read) => Object.fromEntries(GUARDIAN_TYPES.map((type) => [type, read.count(`guardianshipByType.${type}`)])) as Record<GuardianType, Count>,
  },
  careCadence: {
    cells: ['paired', ...cellsUnder('careCadence')],
    value: (read) => ({
      paired: read.count('paired'),
      talk7d: read.ratio('careCadence.talk7d', 'paired'),
      contact30d: read.ratio('careCadence.contact30d', 'paired'),
      homeVisit92d: read.ratio('careCadence.homeVisit92d', 'paired'),
      aidSemester: read.ratio('careCadence.aidSemester', 'paired'),
      parentMeeting365d: read.ratio('careCadence.parentMeeting365d', 'paired'),
    }),
  },
  familyContact30d: { cells: ['familyContact30d', 'childrenInCare'], value: (read) => read.ratio('familyContact30d', 'childrenInCare') },
  dropoutRate: { cells: ['dropout.droppedOut', 'dropout.cohort'], value: dropoutRate },
  retentionRate: {
    cells: ['dropout.droppedOut', 'dropout.cohort'],
    value: (read) => {
      const rate = dropoutRate(read);
      return rate === null ? null : 1 - rate;
    },
  },
  returnedAfterDropout: { cells: ['returnedAfterDropout'], value: (read) => read.count('returnedAfterDropout') },
  healthCheckRate: { cells: ['healthChecked', 'childrenInCare'], value: (read) => read.ratio('healthChecked', 'childrenInCare') },
  keyAssistance: {
    cells: cellsUnder('keyAssistance'),
    value: (read) => ({ children: read.count('keyAssistance.children'), pairedShare: read.ratio('keyAssistance.paired', 'keyAssistance.children') }),
  },
  aid: { cells: ['aid.personTimes'], value: (read) => ({ personTimes: read.count('aid.personTimes'), yuan: read.attached('aid.yuan') }) },
  incidents: {
    cells: cellsUnder('incidents'),
    value: (read) => ({
      count: read.count('incidents.count'),
      withinDeadline: {
        guardian: read.ratio('incidents.withinDeadline.guardian', 'incidents.count'),
        parents: read.ratio('incidents.withinDeadline.parents', 'incidents.count'),
        educationBureau: read.ratio('incidents.withinDeadline.educationBureau', 'incidents.count'),
        townshipGovernment: read.ratio('incidents.withinDeadline.townshipGovernment', 'incidents.count'),
      },
      open: read.count('incidents.open'),
    }),
  },
  careHomes: {
    cells: cellsUnder('careHomes'),
    value: (read) => ({ homes: read.count('careHomes.homes'), childrenServed: read.count('careHomes.childrenServed'), activities: read.count('careHomes.activities') }),
  },
  volunteers: {
    cells: cellsUnder('volunteers'),
    value: (read) => ({ active: read.count('volunteers.active'), pairings: read.count('volunteers.pairings'), activities: read.count('volunteers.activities') }),
  },
};

export const INDICATOR_KEYS = Object.keys(DEFINITIONS) as readonly IndicatorKey[];

export function isIndicatorKey(text: string): text is IndicatorKey {
  return Object.hasOwn(DEFINITIONS, text);
}

/** The cells an indicator is made of. */
export function cellsOf(key: IndicatorKey): readonly Cell[] {
  return DEFINITIONS[key].cells;
}

/** One indicator of a unit, its hidden cells shown as `*` and the shares made of them null. */
export function indicatorOf<K extends IndicatorKey>(key: K, measures: UnitMeasures, hidden: Hidden = NOTHING_HIDDEN): Indicators[K] {
  return DEFINITIONS[key].value(readerOf(measures, hidden));
}

/** Every indicator of a unit (INDICATORS.md "Indicators"). */
export function indicatorsOf(measures: UnitMeasures, hidden: Hidden = NOTHING_HIDDEN): Indicators {
  return Object.fromEntries(INDICATOR_KEYS.map((key) => [key, indicatorOf(key, measures, hidden)])) as unknown as Indicators;
}
