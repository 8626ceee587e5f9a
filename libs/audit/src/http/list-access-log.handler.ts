import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import { AccessLog } from '@lbc/personal-data';
import type { AccessLogPage } from './list-access-log.query';
import { ListAccessLogQuery } from './list-access-log.query';

@QueryHandler(ListAccessLogQuery)
export class ListAccessLogHandler implements IQueryHandler<ListAccessLogQuery> {
  constructor(private readonly log: AccessLog) {}

  async execute({ filter, actor }: ListAccessLogQuery): Promise<AccessLogPage> {
    const entries = await this.log.list({ ...filter, limit: filter.limit + 1, countyId: actor.role === 'auditor' ? actor.countyId : undefined });
    const page = entries.slice(0, filter.limit);
    return { entries: page, nextCursor: entries.length > filter.limit ? String(page[page.length - 1].seq) : null };
  }
}
