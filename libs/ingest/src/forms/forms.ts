import type { FormSpec } from './form-spec';

/** Every web form, by the event it records. */
export const FORMS = {
  registerSchool: { type: 'SchoolRegistered', subject: 'schoolId', registers: true },
  reportEnrollment: { type: 'EnrollmentReported', subject: 'schoolId' },
  openCareHome: { type: 'CareHomeOpened', subject: 'schoolId', generated: ['homeId'] },
  holdCareHomeActivity: { type: 'CareHomeActivityHeld', subject: 'schoolId', fromPath: ['homeId'] },
  registerCarer: { type: 'CarerRegistered', subject: 'carerId', registers: true, schoolFromActor: true },
  retireCarer: { type: 'CarerRetired', subject: 'carerId' },
  eraseCarer: { type: 'PersonalDataErased', subject: 'carerId' },
  registerChild: { type: 'ChildRegistered', subject: 'childId', registers: true, schoolFromActor: true },
  updateArchive: { type: 'ArchiveUpdated', subject: 'childId' },
  changeGuardianship: { type: 'GuardianshipChanged', subject: 'childId' },
  flagRisk: { type: 'RiskFlagged', subject: 'childId' },
  clearRisk: { type: 'RiskCleared', subject: 'childId', fromPath: ['flag'] },
  startPairing: { type: 'PairingStarted', subject: 'childId', generated: ['pairingId'] },
  endPairing: { type: 'PairingEnded', subject: 'childId', fromPath: ['pairingId'] },
  recordActivity: { type: 'CareActivityRecorded', subject: 'childId', generated: ['activityId'] },
  voidActivity: { type: 'CareActivityVoided', subject: 'childId', fromPath: ['activityId'] },
  reportIncident: { type: 'IncidentReported', subject: 'childId', generated: ['incidentId'] },
  notifyIncidentParty: { type: 'IncidentPartyNotified', subject: 'childId', fromPath: ['incidentId'] },
  resolveIncident: { type: 'IncidentResolved', subject: 'childId', fromPath: ['incidentId'] },
  changeEnrollment: { type: 'EnrollmentChanged', subject: 'childId', schoolFromActor: true },
  endLeftBehindStatus: { type: 'LeftBehindStatusEnded', subject: 'childId' },
  resumeLeftBehindStatus: { type: 'LeftBehindStatusResumed', subject: 'childId' },
  eraseChild: { type: 'PersonalDataErased', subject: 'childId' },
} as const satisfies Record<string, FormSpec>;
