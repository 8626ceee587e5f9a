import type {
  ArchiveUpdatedData,
  CareActivityRecordedData,
  CareActivityVoidedData,
  CareHomeActivityHeldData,
  CareHomeOpenedData,
  CarerRegisteredData,
  CarerRetiredData,
  ChildRegisteredData,
  EnrollmentChangedData,
  EnrollmentReportedData,
  GuardianshipChangedData,
  IncidentPartyNotifiedData,
  IncidentReportedData,
  IncidentResolvedData,
  LeftBehindStatusEndedData,
  LeftBehindStatusResumedData,
  PairingEndedData,
  PairingStartedData,
  PersonalDataErasedData,
  RiskData,
  SchoolRegisteredData,
} from './submitted-event.schema';

/** A fact about one subject, as its aggregate sees it: the submitted event without id and subject. */
export interface EventOf<T extends string, D> {
  readonly type: T;
  /** Normalised by `parseSubmittedEvent` (see `normaliseOccurredAt`). */
  readonly occurredAt: string;
  readonly data: D;
}

export type ChildEvent =
  | EventOf<'ChildRegistered', ChildRegisteredData>
  | EventOf<'ArchiveUpdated', ArchiveUpdatedData>
  | EventOf<'GuardianshipChanged', GuardianshipChangedData>
  | EventOf<'RiskFlagged', RiskData>
  | EventOf<'RiskCleared', RiskData>
  | EventOf<'PairingStarted', PairingStartedData>
  | EventOf<'PairingEnded', PairingEndedData>
  | EventOf<'CareActivityRecorded', CareActivityRecordedData>
  | EventOf<'CareActivityVoided', CareActivityVoidedData>
  | EventOf<'IncidentReported', IncidentReportedData>
  | EventOf<'IncidentPartyNotified', IncidentPartyNotifiedData>
  | EventOf<'IncidentResolved', IncidentResolvedData>
  | EventOf<'EnrollmentChanged', EnrollmentChangedData>
  | EventOf<'LeftBehindStatusEnded', LeftBehindStatusEndedData>
  | EventOf<'LeftBehindStatusResumed', LeftBehindStatusResumedData>
  | EventOf<'PersonalDataErased', PersonalDataErasedData>;

export type SchoolEvent =
  | EventOf<'SchoolRegistered', SchoolRegisteredData>
  | EventOf<'EnrollmentReported', EnrollmentReportedData>
  | EventOf<'CareHomeOpened', CareHomeOpenedData>
  | EventOf<'CareHomeActivityHeld', CareHomeActivityHeldData>;

export type CarerEvent =
  | EventOf<'CarerRegistered', CarerRegisteredData>
  | EventOf<'CarerRetired', CarerRetiredData>
  | EventOf<'PersonalDataErased', PersonalDataErasedData>;

export type ChildEventType = ChildEvent['type'];
export type SchoolEventType = SchoolEvent['type'];
export type CarerEventType = CarerEvent['type'];
export type EventType = ChildEventType | SchoolEventType | CarerEventType;

/** What a school's system sends (INTERCHANGE.md), after parsing: ids checked, `occurredAt` normalised. */
export type SubmittedEvent =
  | (ChildEvent & { readonly eventId: string; readonly childId: string })
  | (SchoolEvent & { readonly eventId: string; readonly schoolId: string })
  | (CarerEvent & { readonly eventId: string; readonly carerId: string });

export type SubjectKind = 'child' | 'school' | 'carer';
export type SubjectKey = 'childId' | 'schoolId' | 'carerId';
export const SUBJECT_KEYS: Readonly<Record<SubjectKind, SubjectKey>> = { child: 'childId', school: 'schoolId', carer: 'carerId' };

/**
 * The form an event has in the store and reaching `evolve`: `data.personal` is opaque (sealed by the
 * server with the subject's key; `evolve` never reads it) and `data.personalFields` lists the paths
 * of the personal fields it holds, without values.
 */
export type StoredEvent<E extends { readonly data: object }> = E extends unknown
  ? Omit<E, 'data'> & {
      readonly data: Omit<E['data'], 'personal'> & { readonly personal?: unknown; readonly personalFields?: readonly string[] };
    }
  : never;

export type StoredChildEvent = StoredEvent<ChildEvent>;
export type StoredSchoolEvent = StoredEvent<SchoolEvent>;
export type StoredCarerEvent = StoredEvent<CarerEvent>;
