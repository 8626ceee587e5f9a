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

export const FACT_ENTITIES = [
  SchoolRow,
  EnrollmentReportRow,
  CareHomeRow,
  CareHomeActivityRow,
  CarerRow,
  CarerRetirementRow,
  ChildRegistrationRow,
  ArchiveUpdateRow,
  GuardianshipChangeRow,
  EnrollmentChangeRow,
  LeftBehindStatusChangeRow,
  RiskFlagChangeRow,
  PairingChangeRow,
  CareActivityRow,
  CareActivityVoidRow,
  IncidentRow,
  IncidentNotificationRow,
  IncidentResolutionRow,
] as const;

export type FactEntity = (typeof FACT_ENTITIES)[number];
export type FactRow = InstanceType<FactEntity>;
