import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { Request } from 'express';
import type { AccountSession, Role } from '@lbc/accounts';
import { Accounts } from '@lbc/accounts';
import { Problem } from '../problem';
import { PUBLIC_KEY, ROLES_KEY } from './auth.decorators';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The one algorithm tokens are signed and verified with: an HMAC, so a public key can never pass for the secret. */
export const TOKEN_ALGORITHM = 'HS256';

interface AccessTokenClaims {
  readonly sub: string;
  /** The account's token version when the token was signed (see `Accounts.sessionOf`). */
  readonly ver: number;
  readonly exp?: number;
}

export function claimsOf(session: AccountSession): AccessTokenClaims {
  return { sub: session.id, ver: session.tokenVersion };
}

/**
 * Global guard: every endpoint but the `@Public()` ones requires a valid bearer token (401
 * otherwise), and `@Roles(...)` narrows who may call (403). A token is valid when it is HS256 with
 * the secret, carries `exp` and has not reached it, and names its account's current token version:
 * one indexed lookup per request, so disabling, rebinding or a new password stops the account's
 * tokens at once on every replica. The session (role, school, county) is the account's as it is now.
 */
@Injectable()
export class AccessTokenGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly accounts: Accounts,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<Request>();
    const [scheme, token] = (request.header('authorization') ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) {
      throw new Problem(401, 'unauthorized', 'An access token is required: Authorization: Bearer <accessToken>');
    }
    const invalid = new Problem(401, 'invalid-token', 'The access token is invalid, has expired or was revoked');
    let claims: AccessTokenClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessTokenClaims & object>(token, { algorithms: [TOKEN_ALGORITHM] });
    } catch {
      throw invalid;
    }
    if (typeof claims.exp !== 'number' || typeof claims.sub !== 'string' || !UUID.test(claims.sub) || !Number.isInteger(claims.ver)) throw invalid;
    const account = await this.accounts.sessionOf(claims.sub);
    if (!account || account.disabled || account.tokenVersion !== claims.ver) throw invalid;
    request.user = {
      userId: account.id,
      username: account.username,
      role: account.role,
      ...(account.schoolId ? { schoolId: account.schoolId } : {}),
      countyId: account.countyId,
    };
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (allowed && !allowed.includes(account.role)) {
      throw new Problem(403, 'forbidden', `This endpoint is for ${allowed.join(', ')}; you are ${account.role}`);
    }
    return true;
  }
}
