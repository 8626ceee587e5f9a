import { Query } from '@nestjs/cqrs';
import type { Session } from '@lbc/http';
import type { LoggedAccess } from '@lbc/personal-data';

export interface AccessLogPage {
  readonly entries: LoggedAccess[];
  readonly nextCursor: string | null;
}

/** The access log, newest first: auditors see the reads of their county's subjects. */
export class ListAccessLogQuery extends Query<AccessLogPage> {
  constructor(
    readonly filter: { readonly subject?: string; readonly userId?: string; readonly before?: number; readonly limit: number },
    readonly actor: Session,
  ) {
    super();
  }
}
