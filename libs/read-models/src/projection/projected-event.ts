/**
 * What the projection reads of an event: the stored envelope as the relay publishes it, without
 * `data.personal` (a `RecordedEvent` of `@lbc/event-store` fits as it is).
 */
export interface ProjectedEvent {
  readonly eventId: string;
  readonly type: string;
  /** `child-<id>`, `school-<id>` or `carer-<id>`. */
  readonly streamId: string;
  readonly globalPosition: number;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly metadata: { readonly schoolId: string | null };
}

/** The subject of a stream: `child-0b7c…` → `0b7c…`. */
export function subjectIdOf(streamId: string): string {
  const dash = streamId.indexOf('-');
  if (dash < 0) throw new Error(`streamId: no subject in ${streamId}`);
  return streamId.slice(dash + 1);
}
