import { Query } from '@nestjs/cqrs';
import type { Page, PageRequest, User } from '@lbc/accounts';
import type { Session } from '@lbc/http';

/** The accounts `actor` may manage, a page at a time. */
export class ListUsersQuery extends Query<Page<User>> {
  constructor(
    readonly page: PageRequest,
    readonly actor: Session,
  ) {
    super();
  }
}
