import type { EntityManager } from 'typeorm';
import type { Scope } from './scope';
import { IN_CARE_CTES } from './who-counts.cte';

export interface ChildrenInCareRequest {
  readonly scope: Scope;
  /** County-local date `YYYY-MM-DD`: figures as of the end of that day. */
  readonly asOf: string;
  /** ISO-8601 instant: leave out everything recorded after it. */
  readonly recordedBy: string | null;
}

export interface ChildrenInCare {
  readonly childrenInCare: number;
  readonly leftBehindChildren: number;
}

const SQL = (kind: Scope['kind']) => `
WITH ${IN_CARE_CTES(kind)}
SELECT count(*)::int AS "childrenInCare",
       count(*) FILTER (WHERE category = 'left-behind')::int AS "leftBehindChildren"
  FROM in_care`;

/** Children in care in a scope as of a date (INDICATORS.md "Who counts"). */
export async function childrenInCare(db: EntityManager, request: ChildrenInCareRequest): Promise<ChildrenInCare> {
  const [row] = (await db.query(SQL(request.scope.kind), [request.scope.id, request.asOf, request.recordedBy ?? 'infinity'])) as ChildrenInCare[];
  return row;
}
