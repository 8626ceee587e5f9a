import { Query } from '@nestjs/cqrs';
import type { Session } from '@lbc/http';
import type { ChildFileView } from './child-file.dto';

/** One child's file, as far as `actor` may see it. */
export class GetChildFileQuery extends Query<ChildFileView> {
  constructor(
    readonly childId: string,
    readonly actor: Session,
    /** The request's id, recorded with the read of personal data. */
    readonly requestId: string | null,
  ) {
    super();
  }
}
