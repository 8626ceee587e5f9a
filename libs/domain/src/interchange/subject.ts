import type { SubjectKind, SubmittedEvent } from './submitted-event';

export type StreamId = `child-${string}` | `school-${string}` | `carer-${string}`;

export interface Subject {
  readonly kind: SubjectKind;
  readonly id: string;
}

/** Whose stream a submitted event belongs to (its one subject id). */
export function subjectOf(event: SubmittedEvent): Subject {
  if ('childId' in event) return { kind: 'child', id: event.childId };
  if ('schoolId' in event) return { kind: 'school', id: event.schoolId };
  return { kind: 'carer', id: event.carerId };
}

export function streamIdOf(kind: SubjectKind, id: string): StreamId {
  return `${kind}-${id}`;
}

const STREAM_ID = /^(child|school|carer)-(.+)$/;

/** The subject of a stream id, or null for a stream that is not a subject's. */
export function parseStreamId(streamId: string): Subject | null {
  const m = STREAM_ID.exec(streamId);
  return m ? { kind: m[1] as SubjectKind, id: m[2] } : null;
}
