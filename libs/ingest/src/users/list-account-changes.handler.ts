import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import type { AccountChange, Page } from '@lbc/accounts';
import { Accounts } from '@lbc/accounts';
import { accountProblem } from './account-problem';
import { ListAccountChangesQuery } from './list-account-changes.query';

@QueryHandler(ListAccountChangesQuery)
export class ListAccountChangesHandler implements IQueryHandler<ListAccountChangesQuery> {
  constructor(private readonly accounts: Accounts) {}

  execute({ page, actor }: ListAccountChangesQuery): Promise<Page<AccountChange>> {
    const scope = actor.role === 'platform_admin' ? {} : { countyId: actor.countyId };
    return this.accounts.listChanges(scope, page).catch((error: unknown) => Promise.reject(accountProblem(error)));
  }
}
