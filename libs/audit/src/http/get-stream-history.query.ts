import { Query } from '@nestjs/cqrs';
import type { Session } from '@lbc/http';
import type { HistoryFilter, StreamHistory } from '../history/stream-history';

/** A stream's complete history, personal data opened for `reason`. */
export class GetStreamHistoryQuery extends Query<StreamHistory> {
  constructor(
    readonly streamId: string,
    readonly filter: HistoryFilter,
    readonly reason: string,
    readonly actor: Session,
    readonly requestId: string | null,
  ) {
    super();
  }
}
