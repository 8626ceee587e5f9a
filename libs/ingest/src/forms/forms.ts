import * as data from '@lbc/domain';
import type { FormSpec } from './form-spec';

/** Every web form, by the event it records. */
export const FORMS = {
  registerSchool: { type: 'SchoolRegistered', subject: 'schoolId', data: data.schoolRegisteredData, registers: true },
  reportEnrollment: { type: 'EnrollmentReported', subject: 'schoolId', data: data.enrollmentReportedData },
  openCareHome: { type: 'CareHomeOpened', subject: 'schoolId', data: data.careHomeOpenedData, generated: ['homeId'] },
  holdCareHomeActivity: { type: 'CareHomeActivityHeld', subject: 'schoolId', data: data.careHomeActivityHeldData, fromPath: ['homeId'] },
  registerCarer: { type: 'CarerRegistered', subject: 'carerId', data: data.carerRegisteredData, registers: true, schoolFromActor: true },
  retireCarer: { type: 'CarerRetired', subject: 'carerId', data: data.carerRetiredData },
  eraseCarer: { type: 'PersonalDataErased', subject: 'carerId', data: data.personalDataErasedData },
  registerChild: { type: 'ChildRegistered', subject: 'childId', data: data.childRegisteredData, registers: true, schoolFromActor: true },
  updateArchive: { type: 'ArchiveUpdated', subject: 'childId', data: data.archiveUpdatedData },
  changeGuardianship: { type: 'GuardianshipChanged', subject: 'childId', data: data.guardianshipChangedData },
  flagRisk: { type: 'RiskFlagged', subject: 'childId', data: data.riskData },
  clearRisk: { type: 'RiskCleared', subject: 'childId', data: data.riskData, fromPath: ['flag'] },
  startPairing: { type: 'PairingStarted', subject: 'childId', data: data.pairingStartedData, generated: ['pairingId'] },
  endPairing: { type: 'PairingEnded', subject: 'childId', data: data.pairingEndedData, fromPath: ['pairingId'] },
  recordActivity: { type: 'CareActivityRecorded', subject: 'childId', data: data.careActivityRecordedData, generated: ['activityId'] },
  voidActivity: { type: 'CareActivityVoided', subject: 'childId', data: data.careActivityVoidedData, fromPath: ['activityId'] },
  reportIncident: { type: 'IncidentReported', subject: 'childId', data: data.incidentReportedData, generated: ['incidentId'] },
  notifyIncidentParty: { type: 'IncidentPartyNotified', subject: 'childId', data: data.incidentPartyNotifiedData, fromPath: ['incidentId'] },
  resolveIncident: { type: 'IncidentResolved', subject: 'childId', data: data.incidentResolvedData, fromPath: ['incidentId'] },
  changeEnrollment: { type: 'EnrollmentChanged', subject: 'childId', data: data.enrollmentChangedData, schoolFromActor: true },
  endLeftBehindStatus: { type: 'LeftBehindStatusEnded', subject: 'childId', data: data.leftBehindStatusEndedData },
  resumeLeftBehindStatus: { type: 'LeftBehindStatusResumed', subject: 'childId', data: data.leftBehindStatusResumedData },
  eraseChild: { type: 'PersonalDataErased', subject: 'childId', data: data.personalDataErasedData },
} as const satisfies Record<string, FormSpec>;
