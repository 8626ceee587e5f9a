import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES } from '@lbc/accounts';
import type { Role } from '@lbc/accounts';
import { COUNTY_ID, NEW_PASSWORD, USERNAME } from '../auth/login.dto';

const NEXT_CURSOR = { type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' } as const;

export class CreateUserRequestDto {
  @ApiProperty({ ...USERNAME, example: 'li.hua', description: '2–64 letters, digits, dots, dashes or underscores; unique regardless of case' })
  readonly username!: string;

  @ApiProperty(NEW_PASSWORD)
  readonly password!: string;

  @ApiProperty({ enum: ROLES })
  readonly role!: Role;

  @ApiPropertyOptional({ ...COUNTY_ID, description: "Required for county and platform roles; for school roles it is the school's county (a different one is refused)" })
  readonly countyId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: "Required for school roles (a registered school); a school_admin's own school by default" })
  readonly schoolId?: string;
}

export class UpdateUserRequestDto {
  @ApiPropertyOptional({ enum: ROLES })
  readonly role?: Role;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'null: no school (county and platform roles); the county follows the school' })
  readonly schoolId?: string | null;

  @ApiPropertyOptional({ ...COUNTY_ID, description: 'For county and platform roles' })
  readonly countyId?: string;

  @ApiPropertyOptional({ description: "true: the account's tokens stop working at once and it cannot log in" })
  readonly disabled?: boolean;
}

export class UserView {
  @ApiProperty({ format: 'uuid' }) readonly id!: string;
  @ApiProperty() readonly username!: string;
  @ApiProperty({ enum: ROLES }) readonly role!: Role;
  @ApiPropertyOptional({ format: 'uuid', description: 'For school roles only' }) readonly schoolId?: string;
  @ApiProperty() readonly countyId!: string;
  @ApiProperty() readonly disabled!: boolean;
}

export class UsersPage {
  @ApiProperty({ type: [UserView], description: 'By username' }) readonly items!: readonly UserView[];
  @ApiProperty(NEXT_CURSOR) readonly nextCursor!: string | null;
}

export class AccountChangeView {
  @ApiProperty({ description: 'Increasing in the order changes were recorded' }) readonly id!: string;
  @ApiProperty({ format: 'date-time' }) readonly at!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null: a command (admin:create) or the demo seed' }) readonly actorId!: string | null;
  @ApiProperty() readonly actorUsername!: string;
  @ApiProperty({ format: 'uuid' }) readonly userId!: string;
  @ApiProperty() readonly username!: string;
  @ApiProperty({ description: "The changed account's county (after the change)" }) readonly countyId!: string;
  @ApiProperty({ enum: ['created', 'updated', 'password-changed'] }) readonly change!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'created: { role, schoolId, countyId }; updated: { <field>: { from, to } } per changed field; password-changed: {} (never a secret)',
  })
  readonly details!: Record<string, unknown>;
}

export class AccountChangesPage {
  @ApiProperty({ type: [AccountChangeView], description: 'Oldest first' }) readonly items!: readonly AccountChangeView[];
  @ApiProperty(NEXT_CURSOR) readonly nextCursor!: string | null;
}
