import type { EntityManager } from 'typeorm';
import type { ChildPage, ChildPageKey } from './child-page';
import { AFTER_CURSOR, PAGE_ORDER, pageOf, schoolPageParameters } from './child-page';
import { SCHOOL_CHILDREN_CTE } from './school-children.cte';
import { ACTIVE_PAIRINGS_CTE, IN_CARE_CTES } from './who-counts.cte';

export interface SchoolChildrenFilter {
  readonly grade?: number;
  readonly className?: string;
  readonly category?: string;
  /** A risk flag open on the child, or `any` for a child with any open flag (重点帮扶对象). */
  readonly risk?: string;
}

export interface SchoolChildrenRequest {
  readonly schoolId: string;
  /** County-local date `YYYY-MM-DD`: the list as of the end of that day. */
  readonly asOf: string;
  readonly filter: SchoolChildrenFilter;
  readonly limit: number;
  /** Where the previous page ended (`parseChildCursor`); null for the first page. */
  readonly after: ChildPageKey | null;
}

/** A child in care at the school, without personal data. */
export interface SchoolChild {
  readonly childId: string;
  readonly grade: number;
  /** Null only for children projected before the read models held classes. */
  readonly className: string | null;
  readonly category: string;
  readonly openRiskFlags: readonly string[];
  /** Has at least one active pairing (结对). */
  readonly paired: boolean;
}

const SQL = `
WITH ${IN_CARE_CTES('school')}, ${ACTIVE_PAIRINGS_CTE}, ${SCHOOL_CHILDREN_CTE}
SELECT child_id AS "childId", grade, class_name AS "className", category, risk_flags AS "openRiskFlags", paired
  FROM school_children
 WHERE ${AFTER_CURSOR}
   AND ($8::int IS NULL OR grade = $8::int)
   AND ($9::text IS NULL OR class_name = $9::text)
   AND ($10::text IS NULL OR category = $10::text)
   AND ($11::text IS NULL OR ($11::text = 'any' AND cardinality(risk_flags) > 0) OR $11::text = ANY (risk_flags))
 ORDER BY ${PAGE_ORDER}
 LIMIT $7`;

/** The children in care at a school as of a date (INDICATORS.md "Who counts"), filtered, one page. */
export async function schoolChildren(db: EntityManager, request: SchoolChildrenRequest): Promise<ChildPage<SchoolChild>> {
  const { schoolId, asOf, filter, limit, after } = request;
  const rows = (await db.query(SQL, [
    ...schoolPageParameters(schoolId, asOf, after, limit),
    filter.grade ?? null,
    filter.className ?? null,
    filter.category ?? null,
    filter.risk ?? null,
  ])) as SchoolChild[];
  return pageOf(rows, limit);
}
