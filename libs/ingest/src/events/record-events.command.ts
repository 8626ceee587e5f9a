import { Command } from '@nestjs/cqrs';
import type { Session } from '@lbc/http';
import type { EventResult } from './event-result';
import type { RecordOptions, Submission } from './event-recorder';

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
