import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ChildHistoryEntry {
  @ApiProperty({ format: 'uuid' }) readonly eventId!: string;
  @ApiProperty() readonly type!: string;
  @ApiProperty() readonly revision!: number;
  @ApiProperty() readonly occurredAt!: string;
  @ApiProperty() readonly recordedAt!: string;
  @ApiProperty({ description: 'User id' }) readonly recordedBy!: string;
  @ApiProperty({ type: String, nullable: true }) readonly schoolId!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Without `personal` for roles that see no personal data' })
  readonly data!: Record<string, unknown>;
}

export class ChildFileView {
  @ApiProperty() readonly childId!: string;

  @ApiProperty({
    enum: ['current-school', 'former-school', 'platform', 'audit'],
    description: 'former-school: a school the child left sees what it wrote, nothing after; audit: an auditor sees what was recorded in its county',
  })
  readonly access!: 'current-school' | 'former-school' | 'platform' | 'audit';

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The archive folded from the events (grade, class, pairings, activities, incidents, enrollment…), no personal data' })
  readonly file!: Record<string, unknown>;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'Decrypted personal data (name, guardian, parents…); absent for auditors and county roles, null once erased',
  })
  readonly personal?: Record<string, unknown> | null;

  @ApiProperty({ type: [ChildHistoryEntry] }) readonly history!: ChildHistoryEntry[];
}
