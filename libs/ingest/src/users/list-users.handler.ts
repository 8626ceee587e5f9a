import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import type { Page, User } from '@lbc/accounts';
import { Accounts } from '@lbc/accounts';
import { accountProblem } from './account-problem';
import { ListUsersQuery } from './list-users.query';
import { managedScope } from './user-management';

@QueryHandler(ListUsersQuery)
export class ListUsersHandler implements IQueryHandler<ListUsersQuery> {
  constructor(private readonly accounts: Accounts) {}

  execute({ page, actor }: ListUsersQuery): Promise<Page<User>> {
    return this.accounts.listUsers(managedScope(actor), page).catch((error: unknown) => Promise.reject(accountProblem(error)));
  }
}
