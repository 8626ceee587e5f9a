import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MIN_PASSWORD_LENGTH, ROLES } from '@lbc/accounts';
import type { Role } from '@lbc/accounts';

/** The limits the server holds these fields to (the controllers' zod schemas and the account rules), stated in the OpenAPI. */
export const USERNAME = { minLength: 2, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$' } as const;
export const NEW_PASSWORD = {
  minLength: MIN_PASSWORD_LENGTH,
  maxLength: 256,
  description: `At least ${MIN_PASSWORD_LENGTH} characters, not a known-breached or trivial password`,
} as const;
export const COUNTY_ID = { minLength: 1, maxLength: 64 } as const;

export class LoginRequest {
  @ApiProperty({ example: 'school.dh.staff', minLength: 1, maxLength: 64 })
  readonly username!: string;

  @ApiProperty({ example: 'demo1234', minLength: 1, maxLength: 256 })
  readonly password!: string;
}

export class SessionUser {
  @ApiProperty({ format: 'uuid' })
  readonly id!: string;

  @ApiProperty()
  readonly username!: string;

  @ApiProperty({ enum: ROLES })
  readonly role!: Role;

  @ApiPropertyOptional({ description: 'For school roles only' })
  readonly schoolId?: string;

  @ApiProperty()
  readonly countyId!: string;
}

export class LoginResponse {
  @ApiProperty({ description: 'Send as Authorization: Bearer <accessToken>' })
  readonly accessToken!: string;

  @ApiProperty({ description: 'Seconds until the token expires' })
  readonly expiresIn!: number;

  @ApiProperty({ type: SessionUser })
  readonly user!: SessionUser;
}

export class ChangePasswordRequest {
  @ApiProperty({ minLength: 1, maxLength: 256 })
  readonly currentPassword!: string;

  @ApiProperty(NEW_PASSWORD)
  readonly newPassword!: string;
}
