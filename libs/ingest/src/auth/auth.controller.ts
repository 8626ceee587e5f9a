import { Body, Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import {
  ApiBadRequestResponse,
  ApiUnprocessableEntityResponse,
  ApiBody,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AccountSession } from '@lbc/accounts';
import { AccountError, Accounts, DEMO_PASSWORD, LoginThrottle, MIN_PASSWORD_LENGTH } from '@lbc/accounts';
import type { Config } from '@lbc/config';
import type { Session } from '@lbc/http';
import { claimsOf, CLOCK, CONFIG, CurrentUser, Problem, Public, TOKEN_ALGORITHM, validate } from '@lbc/http';
import { ChangePasswordRequest, LoginRequest, LoginResponse } from './login.dto';

const loginRequest = z.strictObject({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) });
const changePasswordRequest = z.strictObject({ currentPassword: z.string().min(1).max(256), newPassword: z.string().min(MIN_PASSWORD_LENGTH).max(256) });
// A disabled account's request was let in just before it was disabled: as if its token had stopped.
// A new password of the stated length that is breached or trivial breaks a rule, not the schema: 422.
const PASSWORD_CHANGE_STATUS: Partial<Record<AccountError['code'], number>> = { 'wrong-password': 403, 'unknown-user': 401, 'weak-password': 422 };
const TOO_MANY = 'Retry-After (seconds) says when the next attempt is heard (code too-many-attempts); libs/ingest/README.md gives the thresholds';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly accounts: Accounts,
    private readonly throttle: LoginThrottle,
    private readonly jwt: JwtService,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(CLOCK) private readonly clock: () => Date,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ operationId: 'login', summary: 'Exchange a username and password for a bearer access token' })
  @ApiBody({ type: LoginRequest })
  @ApiOkResponse({ type: LoginResponse })
  @ApiBadRequestResponse({ description: 'Malformed body (missing-field, invalid-value, unknown-field)' })
  @ApiUnauthorizedResponse({ description: 'Unknown user, wrong password or disabled account (code invalid-credentials)' })
  @ApiTooManyRequestsResponse({ description: `Too many failed logins for this account or from this address. ${TOO_MANY}` })
  async login(@Body() body: unknown, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<LoginResponse> {
    const { username, password } = validate(loginRequest, body);
    const keys = { account: username, address: request.ip ?? 'unknown' };
    await this.admit(keys, response);
    // The demo password opens demo accounts in demo mode only: a database seeded as a demo and later run for real does not keep it.
    const user = password === DEMO_PASSWORD && !this.config.DEMO_MODE ? null : await this.accounts.verifyLogin(username, password);
    if (!user) throw new Problem(401, 'invalid-credentials', 'Unknown username or wrong password');
    await this.throttle.succeeded(keys);
    return this.issue(user);
  }

  @Post('password')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'changeOwnPassword',
    summary: "Change one's own password",
    description: 'Every token issued to the account so far stops working; the answer carries a new one. Failed attempts count towards the login throttle.',
  })
  @ApiBody({ type: ChangePasswordRequest })
  @ApiOkResponse({ type: LoginResponse })
  @ApiBadRequestResponse({ description: 'Malformed body, or a new password of fewer than 10 characters (field named)' })
  @ApiUnprocessableEntityResponse({ description: 'A new password that is known-breached or trivial (code weak-password, field newPassword)' })
  @ApiUnauthorizedResponse({ description: 'No valid access token' })
  @ApiForbiddenResponse({ description: 'The current password is wrong (code wrong-password, field currentPassword)' })
  @ApiTooManyRequestsResponse({ description: `Too many failed attempts. ${TOO_MANY}` })
  async changePassword(@Body() body: unknown, @CurrentUser() actor: Session, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<LoginResponse> {
    const { currentPassword, newPassword } = validate(changePasswordRequest, body);
    const keys = { account: actor.username, address: request.ip ?? 'unknown' };
    await this.admit(keys, response);
    try {
      const session = await this.accounts.changePassword(actor.userId, currentPassword, newPassword);
      await this.throttle.succeeded(keys);
      return await this.issue(session);
    } catch (error) {
      if (!(error instanceof AccountError)) throw error;
      if (error.code === 'weak-password') await this.throttle.succeeded(keys);
      throw new Problem(PASSWORD_CHANGE_STATUS[error.code] ?? 400, error.code, error.message, error.field);
    }
  }

  /** Counts the attempt, or answers 429 while the account or the address is blocked. */
  private async admit(keys: { account: string; address: string }, response: Response): Promise<void> {
    const verdict = await this.throttle.attempt(keys, this.clock());
    if (verdict.allowed) return;
    response.setHeader('Retry-After', String(verdict.retryAfterSeconds));
    throw new Problem(429, 'too-many-attempts', `Too many failed attempts; try again in ${verdict.retryAfterSeconds} s`, undefined, { retryAfter: verdict.retryAfterSeconds });
  }

  private async issue(user: AccountSession): Promise<LoginResponse> {
    const accessToken = await this.jwt.signAsync(claimsOf(user), { algorithm: TOKEN_ALGORITHM, expiresIn: this.config.JWT_TTL_SECONDS });
    return {
      accessToken,
      expiresIn: this.config.JWT_TTL_SECONDS,
      user: { id: user.id, username: user.username, role: user.role, ...(user.schoolId ? { schoolId: user.schoolId } : {}), countyId: user.countyId },
    };
  }
}
