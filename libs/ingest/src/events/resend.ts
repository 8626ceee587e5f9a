import type { SubmittedEvent } from '@lbc/domain';
import { streamIdOf, subjectOf, withPersonalFields } from '@lbc/domain';
import { contentDigest } from '@lbc/event-store';
import type { StoredForm } from './decide-submitted';
import type { Outcome, Pending } from './pending-events';
import { conflict } from './pending-events';
import type { EventSealer } from './seal-events';
import type { FoldedStream } from './subject-streams';

/**
 * A resend: the event's id is stored in its stream, or was decided earlier in this request. The
 * same content is a `duplicate` (or the earlier event's outcome), other content a `conflict`; null
 * for an event seen for the first time.
 */
export async function resendOutcome(event: SubmittedEvent, stream: FoldedStream, earlier: Pending | undefined, sealer: EventSealer): Promise<Outcome | null> {
  const stored = stream.eventIds.get(event.eventId);
  if (stored) {
    // Against a stored event only the truly sealed form compares; a stored child or carer event means its key exists, so even a dry run creates none here.
    const digest = await digestOf(event, (form, subjectId) => sealer.seal(form, subjectId));
    return digest === stored.digest ? { eventId: event.eventId, status: 'duplicate', globalPosition: stored.globalPosition } : conflict(event);
  }
  if (!earlier) return null;
  const digest = await digestOf(event, (form, subjectId) => sealer.sealForBatch(form, subjectId));
  const earlierSubject = subjectOf(earlier.event);
  const same = streamIdOf(earlierSubject.kind, earlierSubject.id) === stream.streamId && digest === contentDigest(earlier.newEvents[0]);
  return same ? earlier : conflict(event);
}

async function digestOf(event: SubmittedEvent, seal: (form: StoredForm, subjectId: string) => Promise<StoredForm>): Promise<string> {
  return contentDigest({ ...(await seal(withPersonalFields(event) as StoredForm, subjectOf(event).id)), schemaVersion: 1 });
}
