import { Command } from '@nestjs/cqrs';
import type { ParseResult } from '@lbc/domain';
import type { Session } from '@lbc/http';
import type { EventResult } from './event-result';

/** One submitted event as the controller parsed it. */
export interface Submission {
  /** The `eventId` as sent, for the result even when parsing failed. */
  readonly eventId: string | null;
  readonly parsed: ParseResult;
}

export interface RecordOptions {
  /** All or nothing: write only if no event is rejected. */
  readonly atomic: boolean;
  readonly correlationId: string;
  /** Decide only: results say what would happen (`accepted` without a position); nothing is written. */
  readonly dryRun?: boolean;
}

/** Record submitted events (one, or a batch in order) on behalf of `actor`. */
export class RecordEventsCommand extends Command<EventResult[]> {
  constructor(
    readonly submissions: readonly Submission[],
    readonly actor: Session,
    readonly options: RecordOptions,
  ) {
    super();
  }
}
