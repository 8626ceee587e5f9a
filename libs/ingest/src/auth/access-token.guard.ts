import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { Request } from 'express';
import type { Role } from '@lbc/accounts';
import { ROLES } from '@lbc/accounts';
import { Problem } from '../http/problem';
import { PUBLIC_KEY, ROLES_KEY } from './auth.decorators';
import type { Session } from './session';

interface AccessTokenClaims {
  readonly sub: string;
  readonly username: string;
  readonly role: Role;
  readonly schoolId?: string;
  readonly countyId: string;
}

export function claimsOf(session: Session): AccessTokenClaims {
  return {
    sub: session.userId,
    username: session.username,
    role: session.role,
    ...(session.schoolId ? { schoolId: session.schoolId } : {}),
    countyId: session.countyId,
  };
}

/**
 * Global guard: every endpoint but the `@Public()` ones requires a valid, unexpired bearer token
 * (401 otherwise), and `@Roles(...)` narrows who may call (403).
 */
@Injectable()
export class AccessTokenGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<Request>();
    const [scheme, token] = (request.header('authorization') ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) {
      throw new Problem(401, 'unauthorized', 'An access token is required: Authorization: Bearer <accessToken>');
    }
    let claims: AccessTokenClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessTokenClaims & object>(token);
    } catch {
      throw new Problem(401, 'invalid-token', 'The access token is invalid or has expired');
    }
    if (!ROLES.includes(claims.role)) throw new Problem(401, 'invalid-token', 'The access token is invalid or has expired');
    request.user = {
      userId: claims.sub,
      username: claims.username,
      role: claims.role,
      ...(claims.schoolId ? { schoolId: claims.schoolId } : {}),
      countyId: claims.countyId,
    };
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (allowed && !allowed.includes(claims.role)) {
      throw new Problem(403, 'forbidden', `This endpoint is for ${allowed.join(', ')}; you are ${claims.role}`);
    }
    return true;
  }
}
