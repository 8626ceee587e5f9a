import type { ExecutionContext } from '@nestjs/common';
import { createParamDecorator, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { Role } from '@lbc/accounts';
import type { Session } from './session';

export const PUBLIC_KEY = 'lbc:public';
export const ROLES_KEY = 'lbc:roles';

/** The endpoint needs no access token (login, health, metrics, docs). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Only these roles may call the endpoint; others get 403. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** The verified caller; the global guard guarantees it on non-public endpoints. */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): Session => {
  return context.switchToHttp().getRequest<Request>().user as Session;
});
