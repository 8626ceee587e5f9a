import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import { Problem } from '@lbc/http';
import type { StreamHistory } from '../history/stream-history';
import { StreamHistoryReader } from '../history/stream-history';
import { GetStreamHistoryQuery } from './get-stream-history.query';

@QueryHandler(GetStreamHistoryQuery)
export class GetStreamHistoryHandler implements IQueryHandler<GetStreamHistoryQuery> {
  constructor(private readonly reader: StreamHistoryReader) {}

  async execute({ streamId, filter, reason, actor, requestId }: GetStreamHistoryQuery): Promise<StreamHistory> {
    const history = await this.reader.read(
      streamId,
      // Auditors are bound to their county (API.md); platform_admin reads every county.
      { userId: actor.userId, role: actor.role, countyId: actor.role === 'auditor' ? actor.countyId : null, reason, requestId },
      filter,
    );
    if (history === null) throw new Problem(404, 'unknown-stream', `No stream ${streamId} that you may read`, 'streamId');
    return history;
  }
}
