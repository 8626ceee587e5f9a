import { AsyncLocalStorage } from 'node:async_hooks';
import type { GeneratedEvent } from '@lbc/county-generator';
import type { SubmittedEvent } from '@lbc/domain';
import { streamIdOf, subjectOf, withPersonalFields } from '@lbc/domain';
import type { NewEvent } from '@lbc/event-store';
import { createPostgresEventStore } from '@lbc/event-store';
import type { PostgresEventStore } from '@lbc/event-store';
import type { PersonalDataVault } from '@lbc/personal-data';
import { mapLimit } from '@lbc/http';

/** The instant the current append records its events at: the generator's `recordedAt`. */
const recording = new AsyncLocalStorage<number>();

/**
 * An event store whose `recordedAt` is the generated one while `loadCounty` appends (the real clock
 * otherwise): the store reads its clock inside `append`, in the append's async context.
 */
export function createLoadingStore(url: string): Promise<PostgresEventStore> {
  return createPostgresEventStore({ url, poolSize: 24, headCacheSize: 250_000, clock: () => new Date(recording.getStore() ?? Date.now()) });
}

interface Group {
  readonly streamId: string;
  readonly recordedMs: number;
  readonly events: GeneratedEvent[];
}

export interface LoadResult {
  readonly events: number;
  readonly appends: number;
}

/**
 * Writes generated events into the store as the ingest would have stored them, without deciding
 * again (the generator's specs check that decide accepts them): personal data sealed with the
 * subject's key, the envelope's school and county, erasure before the erasing event. Each upload of
 * a school becomes one append per stream (the events of one stream recorded at one instant), run
 * `concurrency` streams at a time, chunk by chunk in the generator's (recording) order.
 */
export async function loadCounty(
  store: PostgresEventStore,
  vault: PersonalDataVault,
  county: Iterable<GeneratedEvent>,
  options: { countyId: string; concurrency: number; chunk: number; onProgress?: (loaded: number) => void },
): Promise<LoadResult> {
  const schoolOf = new Map<string, string | null>();
  const revisions = new Map<string, number>();
  let loaded = 0;
  let appends = 0;
  const envelopeSchool = (event: SubmittedEvent): string | null => {
    switch (event.type) {
      case 'ChildRegistered':
        schoolOf.set(event.childId, event.data.schoolId);
        break;
      case 'EnrollmentChanged':
        if (event.data.change === 'transferred-in' || event.data.change === 'returned') schoolOf.set(event.childId, event.data.schoolId);
        break;
      case 'CarerRegistered':
        schoolOf.set(event.carerId, event.data.schoolId ?? null);
        break;
    }
    const subject = subjectOf(event);
    return subject.kind === 'school' ? subject.id : (schoolOf.get(subject.id) ?? null);
  };
  const stored = async (generated: GeneratedEvent, schoolId: string | null): Promise<NewEvent> => {
    const { event } = generated;
    const form = withPersonalFields({ type: event.type, occurredAt: event.occurredAt, data: event.data } as SubmittedEvent);
    const personal = (form.data as { personal?: unknown }).personal;
    const subjectId = subjectOf(event).id;
    return {
      eventId: event.eventId,
      type: form.type,
      schemaVersion: 1,
      occurredAt: form.occurredAt,
      data: personal === undefined ? form.data : { ...form.data, personal: await vault.seal(subjectId, personal) },
      metadata: { recordedBy: generated.recordedBy, schoolId, countyId: options.countyId, correlationId: event.eventId, causationId: null },
    };
  };
  const append = async (group: Group, schools: readonly (string | null)[]) => {
    const events = await Promise.all(group.events.map((event, i) => stored(event, schools[i])));
    for (const { event } of group.events) if (event.type === 'PersonalDataErased') await vault.erase(subjectOf(event).id);
    const expected = revisions.get(group.streamId) ?? 'no-stream';
    const result = await recording.run(group.recordedMs, () => store.append(group.streamId, events, expected));
    revisions.set(group.streamId, result.nextExpectedRevision);
    appends++;
    loaded += events.length;
  };
  const flush = async (chunk: GeneratedEvent[]) => {
    const byStream = new Map<string, { groups: Group[]; schools: (string | null)[][] }>();
    for (const generated of chunk) {
      const subject = subjectOf(generated.event);
      const streamId = streamIdOf(subject.kind, subject.id);
      const recordedMs = Date.parse(generated.recordedAt);
      const stream = byStream.get(streamId) ?? { groups: [], schools: [] };
      byStream.set(streamId, stream);
      const last = stream.groups[stream.groups.length - 1];
      if (last && last.recordedMs === recordedMs) {
        last.events.push(generated);
        stream.schools[stream.schools.length - 1].push(envelopeSchool(generated.event));
      } else {
        stream.groups.push({ streamId, recordedMs, events: [generated] });
        stream.schools.push([envelopeSchool(generated.event)]);
      }
    }
    await mapLimit([...byStream.values()], options.concurrency, async ({ groups, schools }) => {
      for (let i = 0; i < groups.length; i++) await append(groups[i], schools[i]);
    });
    options.onProgress?.(loaded);
  };
  let chunk: GeneratedEvent[] = [];
  for (const generated of county) {
    chunk.push(generated);
    if (chunk.length >= options.chunk) {
      await flush(chunk);
      chunk = [];
    }
  }
  await flush(chunk);
  return { events: loaded, appends };
}
