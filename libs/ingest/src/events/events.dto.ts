import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SUBMITTED_EVENT_SCHEMAS } from '@lbc/domain';
import { openApiSchemaOf } from '@lbc/http';

/**
 * A submitted event (INTERCHANGE.md) as JSON Schema: one of the event types, each with its subject
 * id and `data`, exactly as the interchange parser checks them (component `SubmittedEventDto`).
 */
export const SUBMITTED_EVENT_SCHEMA = {
  description: 'One event; `eventId` is chosen by the sender (the idempotency key); `data.personal` holds personal data',
  oneOf: [...SUBMITTED_EVENT_SCHEMAS.values()].map(openApiSchemaOf),
};

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
