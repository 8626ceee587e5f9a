import { instantOf } from './time/county-time';
import { refusal } from './refusal';
import type { Refusal } from './refusal';

/** What every command carries besides the event: the handler's clock and who is acting. */
export interface CommandMetadata {
  /** The server's clock when the command is handled, ISO-8601 with offset. */
  readonly now: string;
  /** The school of the submitting user; null for `platform_admin`, who may write to any subject. */
  readonly actingSchoolId: string | null;
}

/** Clocks of schools' systems drift; five minutes of it are tolerated (DOMAIN.md "Rules"). */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;

export function refuseFutureOccurredAt(occurredAt: string, metadata: CommandMetadata): Refusal | null {
  if (instantOf(occurredAt) <= instantOf(metadata.now) + FUTURE_TOLERANCE_MS) return null;
  return refusal('future-occurred-at', 'occurredAt', `occurredAt ${occurredAt} is more than 5 minutes after now (${metadata.now})`);
}

/** A school user writes only to its own school's subjects; `platform_admin` writes anywhere. */
export function refuseOtherSchool(metadata: CommandMetadata, schoolId: string | null, field: string): Refusal | null {
  if (metadata.actingSchoolId === null || metadata.actingSchoolId === schoolId) return null;
  return refusal('other-school', field, `school ${metadata.actingSchoolId} may not write to a subject of ${schoolId ?? 'no school'}`);
}
