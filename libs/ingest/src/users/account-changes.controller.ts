import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AccountChange, Page } from '@lbc/accounts';
import type { Session } from '@lbc/http';
import { CurrentUser, Roles, validate } from '@lbc/http';
import { ListAccountChangesQuery } from './list-account-changes.query';
import { ApiPage, pageQuery } from './page-query';
import { AccountChangesPage } from './users.dto';

@ApiTags('accounts')
@Controller('api/v1/account-changes')
export class AccountChangesController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @Roles('auditor', 'platform_admin')
  @ApiOperation({
    operationId: 'listAccountChanges',
    summary: 'Every account change (who, when, what), oldest first: auditors those of their county’s accounts, platform_admin all',
  })
  @ApiPage(AccountChangesPage, 'Not an auditor or platform_admin (code forbidden)')
  list(@Query() query: unknown, @CurrentUser() actor: Session): Promise<Page<AccountChange>> {
    return this.queryBus.execute(new ListAccountChangesQuery(validate(pageQuery, query, 'query'), actor));
  }
}
