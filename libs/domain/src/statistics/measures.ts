import { GUARDIAN_TYPES } from '../interchange/enumerations';

/**
 * The counts one unit's indicators are made of (INDICATORS.md "Indicators"): every numerator and
 * denominator, flattened to one key each. These are the *cells* of small-cell suppression: each
 * is a count of children, people, pairings, activities, incidents or homes, and each gets a
 * suppression pattern of its own, which every indicator showing that count (as itself, or inside
 * a share or a mean) applies. So `childrenInCare` is hidden in the same units whether it is shown
 * as a count or as the denominator of `pairingCoverage`.
 */
export const CELLS = [
  'childrenInCare',
  'leftBehindChildren',
  'pupils',
  'archiveComplete',
  'paired',
  'carerLoad.carers',
  'carerLoad.pairings',
  'carerLoad.overLimit',
  'guardianNotNone',
  ...GUARDIAN_TYPES.map((type) => `guardianshipByType.${type}` as const),
  'careCadence.talk7d',
  'careCadence.contact30d',
  'careCadence.homeVisit92d',
  'careCadence.aidSemester',
  'careCadence.parentMeeting365d',
  'familyContact30d',
  'dropout.cohort',
  'dropout.droppedOut',
  'returnedAfterDropout',
  'healthChecked',
  'keyAssistance.children',
  'keyAssistance.paired',
  'aid.personTimes',
  'incidents.count',
  'incidents.withinDeadline.guardian',
  'incidents.withinDeadline.parents',
  'incidents.withinDeadline.educationBureau',
  'incidents.withinDeadline.townshipGovernment',
  'incidents.open',
  'careHomes.homes',
  'careHomes.childrenServed',
  'careHomes.activities',
  'volunteers.active',
  'volunteers.pairings',
  'volunteers.activities',
] as const;
export type Cell = (typeof CELLS)[number];

/**
 * Figures that are no count of their own but describe the events of a cell, so they are hidden
 * wherever that cell is: the yuan of the aid person-times, the busiest carer's pairings.
 */
export const ATTACHED_TO = { 'aid.yuan': 'aid.personTimes', 'carerLoad.max': 'carerLoad.carers' } as const satisfies Readonly<Record<string, Cell>>;
export type Attached = keyof typeof ATTACHED_TO;

/** One unit's (county, township or school) raw figures, before shares and suppression. */
export type UnitMeasures = Readonly<Record<Cell | Attached, number>>;

/** A unit without any figure (a school registered after the date asked for). */
export const NO_MEASURES = Object.fromEntries([...CELLS, ...Object.keys(ATTACHED_TO)].map((key) => [key, 0])) as UnitMeasures;
