import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { z } from 'zod';
import { Accounts } from '@lbc/accounts';
import type { Config } from '@lbc/config';
import { Problem } from '../http/problem';
import { validate } from '../http/validate';
import { CONFIG } from '../tokens';
import { claimsOf } from './access-token.guard';
import { Public } from './auth.decorators';
import { LoginRequest, LoginResponse } from './login.dto';

const loginRequest = z.strictObject({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) });

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly accounts: Accounts,
    private readonly jwt: JwtService,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange a username and password for a bearer access token' })
  @ApiBody({ type: LoginRequest })
  @ApiOkResponse({ type: LoginResponse })
  @ApiUnauthorizedResponse({ description: 'Unknown user, wrong password or disabled account (code invalid-credentials)' })
  async login(@Body() body: unknown): Promise<LoginResponse> {
    const { username, password } = validate(loginRequest, body);
    const user = await this.accounts.verifyLogin(username, password);
    if (!user) throw new Problem(401, 'invalid-credentials', 'Unknown username or wrong password');
    const session = { userId: user.id, username: user.username, role: user.role, schoolId: user.schoolId, countyId: user.countyId };
    const accessToken = await this.jwt.signAsync(claimsOf(session), { expiresIn: this.config.JWT_TTL_SECONDS });
    return {
      accessToken,
      expiresIn: this.config.JWT_TTL_SECONDS,
      user: { id: user.id, username: user.username, role: user.role, ...(user.schoolId ? { schoolId: user.schoolId } : {}), countyId: user.countyId },
    };
  }
}
