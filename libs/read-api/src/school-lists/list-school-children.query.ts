import { Query } from '@nestjs/cqrs';
import type { ChildPageKey, SchoolChildrenFilter } from '@lbc/read-models';
import type { Session } from '@lbc/http';
import type { SchoolChildrenPage } from './school-lists.dto';

/** One page of the children in care at a school today, as far as `actor` may see them. */
export class ListSchoolChildrenQuery extends Query<SchoolChildrenPage> {
  constructor(
    readonly schoolId: string,
    readonly filter: SchoolChildrenFilter,
    readonly limit: number,
    readonly after: ChildPageKey | null,
    readonly actor: Session,
    /** The request's id, recorded with the names it opens. */
    readonly requestId: string | null,
  ) {
    super();
  }
}
