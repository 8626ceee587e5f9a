import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import type { EventResult } from './event-result';
import { EventRecorder } from './event-recorder';
import { RecordEventsCommand } from './record-events.command';

@CommandHandler(RecordEventsCommand)
export class RecordEventsHandler implements ICommandHandler<RecordEventsCommand> {
  constructor(private readonly recorder: EventRecorder) {}

  execute({ submissions, actor, options }: RecordEventsCommand): Promise<EventResult[]> {
    return this.recorder.record(submissions, actor, options);
  }
}
