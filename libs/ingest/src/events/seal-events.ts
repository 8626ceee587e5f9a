import type { SubjectKind, SubmittedEvent } from '@lbc/domain';
import type { NewEvent } from '@lbc/event-store';
import type { Session } from '@lbc/http';
import type { PersonalDataVault } from '@lbc/personal-data';
import { PersonalDataError } from '@lbc/personal-data';
import { uuidV5 } from '../util/uuid-v5';
import type { SubjectState } from './aggregates';
import type { StoredForm } from './decide-submitted';

/** Namespace of the ids of the second and later events one submission may decide into. */
const DERIVED_EVENT_IDS = 'c0b9a1e2-4f4e-5d2a-9a57-6a1f0e3b7c21';

/** Seals `data.personal` under the subject's data key, as the store keeps it. */
export class EventSealer {
  constructor(
    private readonly vault: PersonalDataVault,
    private readonly dryRun: boolean,
  ) {}

  async seal(form: StoredForm, subjectId: string): Promise<StoredForm> {
    if (form.data['personal'] === undefined) return { type: form.type, occurredAt: form.occurredAt, data: form.data };
    return { type: form.type, occurredAt: form.occurredAt, data: { ...form.data, personal: await this.vault.seal(subjectId, form.data['personal']) } };
  }

  /**
   * A dry run writes nothing, not even a subject's first data key: its events keep `data.personal`
   * in the clear (they are never appended) and are refused as sealing would refuse them.
   */
  async sealForBatch(form: StoredForm, subjectId: string): Promise<StoredForm> {
    if (!this.dryRun || form.data['personal'] === undefined) return this.seal(form, subjectId);
    if (await this.vault.isErased(subjectId)) {
      throw new PersonalDataError('subject-erased', 'subjectId', `subjectId: the personal data of ${subjectId} is erased; no personal data is accepted for it any more`);
    }
    return { type: form.type, occurredAt: form.occurredAt, data: form.data };
  }
}

export interface Envelope {
  readonly schoolId: string | null;
  readonly countyId: string | null;
}

/** The envelope's school and county: the subject's school (after the event) and that school's county. */
export async function envelopeOf(
  kind: SubjectKind,
  subjectId: string,
  state: SubjectState,
  actor: Session,
  stateOf: (kind: 'school', id: string) => Promise<SubjectState>,
): Promise<Envelope> {
  const schoolId = kind === 'school' ? subjectId : state.status === 'registered' ? ((state as { schoolId: string | null }).schoolId ?? null) : null;
  const school = schoolId === null ? null : kind === 'school' ? state : await stateOf('school', schoolId);
  return { schoolId, countyId: school?.status === 'registered' ? (school as { countyId: string }).countyId : actor.countyId };
}

/** The decided forms as the store's new events: sealed, the first with the submitted id, in the envelope. */
export function newEventsOf(
  decision: readonly StoredForm[],
  event: SubmittedEvent,
  subjectId: string,
  sealer: EventSealer,
  metadata: Envelope & { readonly recordedBy: string; readonly correlationId: string },
): Promise<NewEvent[]> {
  return Promise.all(
    decision.map(async (form, i) => ({
      ...(await sealer.sealForBatch(form, subjectId)),
      eventId: i === 0 ? event.eventId : uuidV5(`${event.eventId}/${i}`, DERIVED_EVENT_IDS),
      schemaVersion: 1,
      metadata: { recordedBy: metadata.recordedBy, schoolId: metadata.schoolId, countyId: metadata.countyId, correlationId: metadata.correlationId, causationId: null },
    })),
  );
}
