import type { UnitMeasures } from '@lbc/domain';
import { GUARDIAN_TYPES } from '@lbc/domain';
import type { UnitFigures } from '@lbc/read-models';

/** A unit's raw figures (the read models' contract) as the domain's flat counts. */
export function measuresOf(figures: UnitFigures): UnitMeasures {
  return {
    childrenInCare: figures.childrenInCare,
    leftBehindChildren: figures.leftBehindChildren,
    pupils: figures.pupils,
    archiveComplete: figures.archiveComplete,
    paired: figures.paired,
    'carerLoad.carers': figures.carerLoad.carers,
    'carerLoad.pairings': figures.carerLoad.pairings,
    'carerLoad.max': figures.carerLoad.max,
    'carerLoad.overLimit': figures.carerLoad.overLimit,
    guardianNotNone: figures.guardianNotNone,
    ...(Object.fromEntries(GUARDIAN_TYPES.map((type) => [`guardianshipByType.${type}`, figures.guardianshipByType[type]])) as Record<`guardianshipByType.${(typeof GUARDIAN_TYPES)[number]}`, number>),
    'careCadence.talk7d': figures.careCadence.talk7d,
    'careCadence.contact30d': figures.careCadence.contact30d,
    'careCadence.homeVisit92d': figures.careCadence.homeVisit92d,
    'careCadence.aidSemester': figures.careCadence.aidSemester,
    'careCadence.parentMeeting365d': figures.careCadence.parentMeeting365d,
    familyContact30d: figures.familyContact30d,
    'dropout.cohort': figures.dropout.cohort,
    'dropout.droppedOut': figures.dropout.droppedOut,
    returnedAfterDropout: figures.returnedAfterDropout,
    healthChecked: figures.healthChecked,
    'keyAssistance.children': figures.keyAssistance.children,
    'keyAssistance.paired': figures.keyAssistance.paired,
    'aid.personTimes': figures.aid.personTimes,
    'aid.yuan': figures.aid.yuan,
    'incidents.count': figures.incidents.count,
    'incidents.withinDeadline.guardian': figures.incidents.withinDeadline.guardian,
    'incidents.withinDeadline.parents': figures.incidents.withinDeadline.parents,
    'incidents.withinDeadline.educationBureau': figures.incidents.withinDeadline.educationBureau,
    'incidents.withinDeadline.townshipGovernment': figures.incidents.withinDeadline.townshipGovernment,
    'incidents.open': figures.incidents.open,
    'careHomes.homes': figures.careHomes.homes,
    'careHomes.childrenServed': figures.careHomes.childrenServed,
    'careHomes.activities': figures.careHomes.activities,
    'volunteers.active': figures.volunteers.active,
    'volunteers.pairings': figures.volunteers.pairings,
    'volunteers.activities': figures.volunteers.activities,
  };
}
