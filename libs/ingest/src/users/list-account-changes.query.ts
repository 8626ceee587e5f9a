import { Query } from '@nestjs/cqrs';
import type { AccountChange, Page, PageRequest } from '@lbc/accounts';
import type { Session } from '@lbc/http';

/** The account change log as far as `actor` may read it: an auditor its county's, platform_admin all. */
export class ListAccountChangesQuery extends Query<Page<AccountChange>> {
  constructor(
    readonly page: PageRequest,
    readonly actor: Session,
  ) {
    super();
  }
}
