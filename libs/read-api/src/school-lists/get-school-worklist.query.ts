import { Query } from '@nestjs/cqrs';
import type { ChildPageKey } from '@lbc/read-models';
import type { Session } from '@lbc/http';
import type { SchoolWorklistPage } from './school-lists.dto';

/** One page of a school's worklist as of a date (null: today), as far as `actor` may see it. */
export class GetSchoolWorklistQuery extends Query<SchoolWorklistPage> {
  constructor(
    readonly schoolId: string,
    readonly asOf: string | null,
    readonly limit: number,
    readonly after: ChildPageKey | null,
    readonly actor: Session,
    /** The request's id, recorded with the names it opens. */
    readonly requestId: string | null,
  ) {
    super();
  }
}
