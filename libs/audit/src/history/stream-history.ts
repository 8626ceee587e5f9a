import type { ChainVerdict, EventStore, RecordedEvent } from '@lbc/event-store';
import { verifyChain } from '@lbc/event-store';
import { countyDateOf } from '@lbc/domain';
import type { AccessLog, PersonalDataVault } from '@lbc/personal-data';

/** How an event refers to an earlier one of its stream. */
export type Relation = 'voids' | 'ends' | 'notifies' | 'resolves';

// Which events refer back, and by which id of their data.
const REFERENCES: Readonly<Record<string, { readonly relation: Relation; readonly key: string; readonly target: string }>> = {
  CareActivityVoided: { relation: 'voids', key: 'activityId', target: 'CareActivityRecorded' },
  PairingEnded: { relation: 'ends', key: 'pairingId', target: 'PairingStarted' },
  IncidentPartyNotified: { relation: 'notifies', key: 'incidentId', target: 'IncidentReported' },
  IncidentResolved: { relation: 'resolves', key: 'incidentId', target: 'IncidentReported' },
};

/** The id a referred-to event is found by. */
const REFERRED_KEY: Readonly<Record<string, string>> = Object.fromEntries(Object.values(REFERENCES).map(({ target, key }) => [target, key]));

export interface HistoryFilter {
  readonly schoolId?: string;
  /** County-local dates of `occurredAt`, both inclusive. */
  readonly from?: string;
  readonly to?: string;
  readonly type?: string;
}

/** Who reads, and why (the reason is recorded in the access log before anything is returned). */
export interface HistoryReader {
  readonly userId: string;
  readonly role: string;
  /** Auditors see only what was recorded in their county. */
  readonly countyId: string | null;
  readonly reason: string;
  readonly requestId: string | null;
}

export interface HistoryEvent {
  readonly eventId: string;
  readonly type: string;
  readonly revision: number;
  readonly globalPosition: number;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly recordedBy: string;
  readonly schoolId: string | null;
  readonly countyId: string | null;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly prevHash: string;
  readonly hash: string;
  /** `personal` opened; `{ erased: true }` once the subject's data was erased. */
  readonly data: Readonly<Record<string, unknown>>;
  readonly refersTo: { readonly eventId: string; readonly relation: Relation } | null;
  readonly referredBy: { readonly eventId: string; readonly relation: Relation }[];
}

export interface StreamHistory {
  readonly streamId: string;
  /** The whole stream's chain, checked before anything was filtered out. */
  readonly chain: ChainVerdict;
  /** Events of the stream in revision order, after the filters. */
  readonly events: HistoryEvent[];
  /** The personal fields opened (and recorded in the access log). */
  readonly openedFields: string[];
  readonly personalErased: boolean;
}

/** The subject whose data key seals a stream's personal data: children and carers have one. */
function subjectOf(streamId: string): string | null {
  const match = /^(child|carer)-(.+)$/.exec(streamId);
  return match ? match[2] : null;
}

/**
 * A stream's complete history for auditors and platform_admin: every event with its envelope,
 * personal data opened, references between events linked. The read of personal data is recorded
 * in the access log first; if that fails, nothing is returned.
 */
export class StreamHistoryReader {
  constructor(
    private readonly store: EventStore,
    private readonly vault: PersonalDataVault,
    private readonly accessLog: AccessLog,
  ) {}

  /** Null when the stream does not exist or holds nothing the reader may see. */
  async read(streamId: string, reader: HistoryReader, filter: HistoryFilter): Promise<StreamHistory | null> {
    const stream = await this.store.readStream(streamId);
    const visible = reader.countyId === null ? stream : stream.filter((event) => event.metadata.countyId === reader.countyId);
    if (visible.length === 0) return null;
    const chosen = visible.filter((event) => matches(event, filter));

    const subject = subjectOf(streamId);
    const opened = new Map<string, Readonly<Record<string, unknown>> | null>();
    const fields = new Set<string>();
    if (subject !== null) {
      for (const event of chosen) {
        const sealed = (event.data as { personal?: unknown }).personal;
        if (sealed === undefined) continue;
        const personal = await this.vault.open(subject, sealed);
        opened.set(event.eventId, personal);
        for (const field of Object.keys(personal ?? {})) fields.add(field);
      }
    }
    const openedFields = [...fields].sort();
    if (openedFields.length > 0) {
      await this.accessLog.record({
        userId: reader.userId,
        role: reader.role,
        countyId: reader.countyId ?? visible[visible.length - 1].metadata.countyId,
        subject: streamId,
        fields: openedFields,
        reason: reader.reason,
        requestId: reader.requestId,
      });
    }
    const referredBy = new Map<string, { eventId: string; relation: Relation }[]>();
    const refersTo = new Map<string, { eventId: string; relation: Relation }>();
    // Each referred-to event by its type and id, so that linking reads the stream once.
    const byId = new Map(stream.map((event) => [`${event.type}|${String(event.data[REFERRED_KEY[event.type] ?? ''])}`, event]));
    for (const event of stream) {
      const reference = REFERENCES[event.type];
      if (!reference) continue;
      const target = byId.get(`${reference.target}|${String(event.data[reference.key])}`);
      if (!target) continue;
      refersTo.set(event.eventId, { eventId: target.eventId, relation: reference.relation });
      referredBy.set(target.eventId, [...(referredBy.get(target.eventId) ?? []), { eventId: event.eventId, relation: reference.relation }]);
    }
    return {
      streamId,
      chain: verifyChain(stream),
      events: chosen.map((event) => {
        const { personal, ...data } = event.data as Record<string, unknown>;
        const open = opened.get(event.eventId);
        return {
          eventId: event.eventId,
          type: event.type,
          revision: event.revision,
          globalPosition: event.globalPosition,
          occurredAt: event.occurredAt,
          recordedAt: event.recordedAt,
          recordedBy: event.metadata.recordedBy,
          schoolId: event.metadata.schoolId,
          countyId: event.metadata.countyId,
          correlationId: event.metadata.correlationId,
          causationId: event.metadata.causationId,
          prevHash: event.prevHash,
          hash: event.hash,
          data: personal === undefined ? data : { ...data, personal: open === null ? { erased: true } : open },
          refersTo: refersTo.get(event.eventId) ?? null,
          referredBy: referredBy.get(event.eventId) ?? [],
        };
      }),
      openedFields,
      personalErased: [...opened.values()].some((personal) => personal === null),
    };
  }
}

function matches(event: RecordedEvent, filter: HistoryFilter): boolean {
  if (filter.schoolId !== undefined && event.metadata.schoolId !== filter.schoolId) return false;
  if (filter.type !== undefined && event.type !== filter.type) return false;
  const day = countyDateOf(event.occurredAt);
  if (filter.from !== undefined && day < filter.from) return false;
  if (filter.to !== undefined && day > filter.to) return false;
  return true;
}
