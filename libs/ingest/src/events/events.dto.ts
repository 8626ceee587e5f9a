import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EVENT_TYPES } from '@lbc/domain';

/** A submitted event (INTERCHANGE.md): exactly one of childId, schoolId, carerId. */
export class SubmittedEventDto {
  @ApiProperty({ format: 'uuid', description: 'Chosen by the sender: the idempotency key' })
  readonly eventId!: string;

  @ApiProperty({ enum: EVENT_TYPES })
  readonly type!: string;

  @ApiPropertyOptional({ description: 'Subject of child events' })
  readonly childId?: string;

  @ApiPropertyOptional({ description: 'Subject of school events' })
  readonly schoolId?: string;

  @ApiPropertyOptional({ description: 'Subject of carer events' })
  readonly carerId?: string;

  @ApiProperty({ example: '2025-03-14T09:30:00+08:00', description: 'ISO-8601 with offset, or YYYY-MM-DD (county-local)' })
  readonly occurredAt!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Per type, as INTERCHANGE.md lists; `personal` holds personal data' })
  readonly data!: Record<string, unknown>;
}

export class EventResultDto {
  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  readonly eventId!: string | null;

  @ApiProperty({ enum: ['accepted', 'duplicate', 'rejected'] })
  readonly status!: string;

  @ApiPropertyOptional({ description: 'Code of the rejection (e.g. unknown-child, carer-over-load, forbidden, conflict)' })
  readonly reason?: string;

  @ApiPropertyOptional({ description: 'JSON path into the event' })
  readonly field?: string;

  @ApiPropertyOptional()
  readonly message?: string;

  @ApiPropertyOptional()
  readonly globalPosition?: number;
}

export class EventBatchResponseDto {
  @ApiProperty({ type: [EventResultDto], description: 'In submission order' })
  readonly results!: EventResultDto[];

  @ApiProperty()
  readonly accepted!: number;

  @ApiProperty()
  readonly duplicate!: number;

  @ApiProperty()
  readonly rejected!: number;
}
