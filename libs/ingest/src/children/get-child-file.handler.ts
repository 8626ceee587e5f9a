import { Inject } from '@nestjs/common';
import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import { seesPersonalData } from '@lbc/accounts';
import { streamIdOf } from '@lbc/domain';
import type { EventStore, RecordedEvent } from '@lbc/event-store';
import type { PersonalDataVault } from '@lbc/personal-data';
import { AccessLog, reasonOfRole } from '@lbc/personal-data';
import { EVENT_STORE, Problem, VAULT } from '@lbc/http';
import { foldStream } from '../events/aggregates';
import type { ChildFileView } from './child-file.dto';
import { GetChildFileQuery } from './get-child-file.query';

/** Events whose `data.personal` is (part of) the archive; later ones replace the top-level fields they give. */
const ARCHIVE_TYPES = new Set(['ChildRegistered', 'ArchiveUpdated', 'GuardianshipChanged']);

/**
 * Folds the child's stream for a reader: the school the child is enrolled at sees it all; a school
 * the child left sees the events it wrote (DOMAIN.md: read access to what it wrote); any other
 * school learns nothing, not even that the child exists (404). Auditors are bound to their county
 * (API.md): they see the events recorded while the child was at a school of it, without personal
 * data, and of a child who never was, nothing (404). Personal data is opened with the vault for
 * school roles and platform_admin, and every such read is recorded in the access log.
 */
@QueryHandler(GetChildFileQuery)
export class GetChildFileHandler implements IQueryHandler<GetChildFileQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
    private readonly accessLog: AccessLog,
  ) {}

  async execute({ childId, actor, requestId }: GetChildFileQuery): Promise<ChildFileView> {
    const events = await this.store.readStream(streamIdOf('child', childId));
    const unknown = new Problem(404, 'unknown-child', `No child ${childId} that you may read`, 'childId');
    if (events.length === 0) throw unknown;
    const whole = foldStream('child', events);
    let access: ChildFileView['access'];
    let visible: RecordedEvent[] = events;
    const readable = (recordedHere: (event: RecordedEvent) => boolean) => {
      const filtered = events.filter(recordedHere);
      if (filtered.length === 0) throw unknown;
      return filtered.length === events.length ? events : filtered;
    };
    if (actor.role === 'platform_admin') access = 'platform';
    else if (actor.role === 'auditor') {
      visible = readable((event) => event.metadata.countyId === actor.countyId);
      access = 'audit';
    } else if (whole.status === 'registered' && whole.schoolId === actor.schoolId) access = 'current-school';
    else {
      visible = readable((event) => event.metadata.schoolId === actor.schoolId);
      access = 'former-school';
    }
    const personalAllowed = seesPersonalData(actor.role);
    let personal: Record<string, unknown> | null = {};
    const opened = new Set<string>();
    const history = [];
    for (const event of visible) {
      const { personal: sealed, ...data } = event.data as Record<string, unknown>;
      const open = personalAllowed && sealed !== undefined ? ((await this.vault.open(childId, sealed)) as Record<string, unknown> | null) : undefined;
      for (const field of Object.keys(open ?? {})) opened.add(field);
      if (ARCHIVE_TYPES.has(event.type) && open !== undefined) personal = open === null || personal === null ? null : { ...personal, ...open };
      history.push({
        eventId: event.eventId,
        type: event.type,
        revision: event.revision,
        occurredAt: event.occurredAt,
        recordedAt: event.recordedAt,
        recordedBy: event.metadata.recordedBy,
        schoolId: event.metadata.schoolId,
        data: open === undefined ? data : { ...data, personal: open },
      });
    }
    // Recorded before the file leaves: if the entry cannot be written, nothing personal is sent.
    if (opened.size > 0) {
      await this.accessLog.record({
        userId: actor.userId,
        role: actor.role,
        countyId: actor.countyId,
        subject: streamIdOf('child', childId),
        fields: [...opened].sort(),
        reason: reasonOfRole(actor.role),
        requestId,
      });
    }
    const file = (visible === events ? whole : foldStream('child', visible)) as unknown as Record<string, unknown>;
    return { childId, access, file, ...(personalAllowed ? { personal } : {}), history };
  }
}
