import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES } from '@lbc/accounts';
import type { Role } from '@lbc/accounts';

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
  @ApiProperty()
  readonly currentPassword!: string;

  @ApiProperty({ description: 'At least 10 characters, not a known-breached or trivial password' })
  readonly newPassword!: string;
}
