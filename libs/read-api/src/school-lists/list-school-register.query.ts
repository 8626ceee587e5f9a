import { Query } from '@nestjs/cqrs';
import type { Session } from '@lbc/http';
import type { SchoolCareHomesPage, SchoolCarersPage } from './school-lists.dto';

/** The school's registers a form picks from: its carers (with names) and its care homes. */
export type SchoolRegister = 'carers' | 'care-homes';

/** One page of a school's register today, as far as `actor` may see it. */
export class ListSchoolRegisterQuery extends Query<SchoolCarersPage | SchoolCareHomesPage> {
  constructor(
    readonly register: SchoolRegister,
    readonly schoolId: string,
    readonly limit: number,
    /** The last id of the previous page (`parseIdCursor`); null for the first page. */
    readonly after: string | null,
    readonly actor: Session,
    /** The request's id, recorded with the names it opens. */
    readonly requestId: string | null,
  ) {
    super();
  }
}
