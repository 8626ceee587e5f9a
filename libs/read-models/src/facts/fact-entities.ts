import { CareActivityRow, CareActivityVoidRow, IncidentNotificationRow, IncidentResolutionRow, IncidentRow, PairingChangeRow } from './care-facts.entity';
import { CarerRetirementRow, CarerRow } from './carer-facts.entity';
import {
  ArchiveUpdateRow,
  ChildRegistrationRow,
  EnrollmentChangeRow,
  GuardianshipChangeRow,
  LeftBehindStatusChangeRow,
  RiskFlagChangeRow,
} from './child-facts.entity';
import { CareHomeActivityRow, CareHomeRow, EnrollmentReportRow, SchoolRow } from './school-facts.entity';

export * from './care-facts.entity';
export * from './carer-facts.entity';
export * from './child-facts.entity';
export * from './school-facts.entity';

/** The facts a child's state at a moment is folded from (statistics/child-history.ts). */
export const CHILD_STATE_FACT_ENTITIES = [
  ChildRegistrationRow,
  ArchiveUpdateRow,
  GuardianshipChangeRow,
  EnrollmentChangeRow,
  LeftBehindStatusChangeRow,
  RiskFlagChangeRow,
  PairingChangeRow,
] as const;

export const FACT_ENTITIES = [
  SchoolRow,
  EnrollmentReportRow,
  CareHomeRow,
  CareHomeActivityRow,
  CarerRow,
  CarerRetirementRow,
  ...CHILD_STATE_FACT_ENTITIES,
  CareActivityRow,
  CareActivityVoidRow,
  IncidentRow,
  IncidentNotificationRow,
  IncidentResolutionRow,
] as const;

export type FactEntity = (typeof FACT_ENTITIES)[number];
export type FactRow = InstanceType<FactEntity>;
