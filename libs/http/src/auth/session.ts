import type { Role } from '@lbc/accounts';

/** Who is calling, from a verified access token. */
export interface Session {
  readonly userId: string;
  readonly username: string;
  readonly role: Role;
  readonly schoolId?: string;
  readonly countyId: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    user?: Session;
  }
}
