import type { Cell, UnitMeasures } from './measures';
import { CELLS, NO_MEASURES } from './measures';
import type { IndicatorKey } from './indicators';
import { cellsOf, INDICATOR_KEYS, indicatorOf, indicatorsOf, isIndicatorKey } from './indicators';

const unit = (counts: Partial<UnitMeasures>): UnitMeasures => ({ ...NO_MEASURES, ...counts });
const hiding =
  (...cells: Cell[]) =>
  (cell: Cell) =>
    cells.includes(cell);

const school = unit({
  childrenInCare: 40,
  leftBehindChildren: 30,
  pupils: 300,
  archiveComplete: 36,
  paired: 32,
  'carerLoad.carers': 12,
  'carerLoad.pairings': 32,
  'carerLoad.max': 4,
  'carerLoad.overLimit': 2,
  guardianNotNone: 38,
  'guardianshipByType.grandparent': 25,
  'guardianshipByType.relative': 6,
  'guardianshipByType.entrusted': 5,
  'guardianshipByType.parent-at-home': 2,
  'guardianshipByType.none': 2,
  'careCadence.talk7d': 16,
  'careCadence.contact30d': 24,
  'careCadence.homeVisit92d': 8,
  'careCadence.aidSemester': 0,
  'careCadence.parentMeeting365d': 32,
  familyContact30d: 10,
  'dropout.cohort': 50,
  'dropout.droppedOut': 5,
  returnedAfterDropout: 1,
  healthChecked: 20,
  'keyAssistance.children': 8,
  'keyAssistance.paired': 6,
  'aid.personTimes': 7,
  'aid.yuan': 3500,
  'incidents.count': 4,
  'incidents.withinDeadline.guardian': 4,
  'incidents.withinDeadline.parents': 3,
  'incidents.withinDeadline.educationBureau': 2,
  'incidents.withinDeadline.townshipGovernment': 1,
  'incidents.open': 1,
  'careHomes.homes': 1,
  'careHomes.childrenServed': 25,
  'careHomes.activities': 9,
  'volunteers.active': 3,
  'volunteers.pairings': 5,
  'volunteers.activities': 11,
});

describe('indicators of a unit from its counts', () => {
  it('makes every indicator of INDICATORS.md, shares as fractions', () => {
    expect(indicatorsOf(school)).toEqual({
      childrenInCare: 40,
      leftBehindChildren: 30,
      pupils: 300,
      pupilShare: 0.1,
      archiveCompleteness: 0.9,
      pairingCoverage: 0.8,
      carerLoad: { carers: 12, mean: 32 / 12, max: 4, overLimit: 2 },
      guardianshipCoverage: 0.95,
      guardianshipByType: { grandparent: 25, relative: 6, entrusted: 5, 'parent-at-home': 2, none: 2 },
      careCadence: { paired: 32, talk7d: 0.5, contact30d: 0.75, homeVisit92d: 0.25, aidSemester: 0, parentMeeting365d: 1 },
      familyContact30d: 0.25,
      dropoutRate: 0.1,
      retentionRate: 0.9,
      returnedAfterDropout: 1,
      healthCheckRate: 0.5,
      keyAssistance: { children: 8, pairedShare: 0.75 },
      aid: { personTimes: 7, yuan: 3500 },
      incidents: { count: 4, withinDeadline: { guardian: 1, parents: 0.75, educationBureau: 0.5, townshipGovernment: 0.25 }, open: 1 },
      careHomes: { homes: 1, childrenServed: 25, activities: 9 },
      volunteers: { active: 3, pairings: 5, activities: 11 },
    });
  });

  it('lists the indicators in the order of INDICATORS.md and knows no others', () => {
    expect(INDICATOR_KEYS).toEqual(Object.keys(indicatorsOf(school)));
    expect(INDICATOR_KEYS).toHaveLength(20);
    expect(isIndicatorKey('careCadence')).toBe(true);
    expect(isIndicatorKey('toString')).toBe(false);
    expect(isIndicatorKey('carerLoad.mean')).toBe(false);
  });

  it.each<[string, Partial<UnitMeasures>, IndicatorKey, unknown]>([
    ['a share with a zero denominator is null, not 0', { leftBehindChildren: 0, pupils: 0 }, 'pupilShare', null],
    ['retention is null when the dropout rate is', { 'dropout.cohort': 0 }, 'retentionRate', null],
    ['no dropout: retention 1', { 'dropout.cohort': 12 }, 'retentionRate', 1],
    ['no carers: mean null, max and over-limit 0', {}, 'carerLoad', { carers: 0, mean: null, max: 0, overLimit: 0 }],
    ['no paired children: every cadence share null', { childrenInCare: 3 }, 'careCadence', { paired: 0, talk7d: null, contact30d: null, homeVisit92d: null, aidSemester: null, parentMeeting365d: null }],
    ['no incidents: deadline shares null', {}, 'incidents', { count: 0, withinDeadline: { guardian: null, parents: null, educationBureau: null, townshipGovernment: null }, open: 0 }],
    ['key assistance without children: share null', {}, 'keyAssistance', { children: 0, pairedShare: null }],
  ])('%s', (_, counts, key, expected) => {
    expect(indicatorOf(key, unit(counts))).toEqual(expected);
  });

  it.each<[string, Cell[], IndicatorKey, unknown]>([
    ['a hidden count reads "*"', ['childrenInCare'], 'childrenInCare', '*'],
    ['a share is null when its numerator is hidden', ['archiveComplete'], 'archiveCompleteness', null],
    ['a share is null when its denominator is hidden', ['childrenInCare'], 'pairingCoverage', null],
    ['a hidden denominator hides the count and nulls every share made of it', ['paired'], 'careCadence', { paired: '*', talk7d: null, contact30d: null, homeVisit92d: null, aidSemester: null, parentMeeting365d: null }],
    ['the busiest carer’s load is hidden with the carers, the mean with the pairings', ['carerLoad.carers'], 'carerLoad', { carers: '*', mean: null, max: '*', overLimit: 2 }],
    ['hidden pairings null the mean only', ['carerLoad.pairings'], 'carerLoad', { carers: 12, mean: null, max: 4, overLimit: 2 }],
    ['the yuan are hidden with the person-times they were given to', ['aid.personTimes'], 'aid', { personTimes: '*', yuan: '*' }],
    ['one hidden deadline count nulls its share only', ['incidents.withinDeadline.parents'], 'incidents', { count: 4, withinDeadline: { guardian: 1, parents: null, educationBureau: 0.5, townshipGovernment: 0.25 }, open: 1 }],
    ['both rates go with the dropouts', ['dropout.droppedOut'], 'retentionRate', null],
  ])('%s', (_, hidden, key, expected) => {
    expect(indicatorOf(key, school, hiding(...hidden))).toEqual(expected);
  });

  it('names exactly the cells each indicator shows: hiding any other cell changes nothing', () => {
    for (const key of INDICATOR_KEYS) {
      for (const cell of CELLS) {
        const changed = JSON.stringify(indicatorOf(key, school, hiding(cell))) !== JSON.stringify(indicatorOf(key, school));
        // aidSemester is 0 here, so hiding it nulls a share that was 0: still a change.
        expect({ key, cell, changed }).toEqual({ key, cell, changed: cellsOf(key).includes(cell) });
      }
    }
  });

  it('makes every cell part of some indicator', () => {
    expect(new Set(INDICATOR_KEYS.flatMap(cellsOf))).toEqual(new Set(CELLS));
  });
});
