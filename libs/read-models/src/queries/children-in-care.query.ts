import type { EntityManager } from 'typeorm';
import type { Scope } from './scope';
import { SCOPE_SCHOOLS, VISIBLE } from './scope';

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

// Who counts (INDICATORS.md). Per child and school of the scope, the latest enrollment fact
// recorded there decides: registration, `transferred-in` and `returned` enrol; `transferred-out`,
// `dropped-out` and `graduated` end it (`promoted` changes nothing). A left-behind child counts
// while no `LeftBehindStatusEnded` is later than both its registration and its latest
// `LeftBehindStatusResumed`. Ties in time fall back to stream order (one child, one stream).
const SQL = (scopeSchools: string) => `
WITH scope_schools AS (${scopeSchools}),
enrollment_facts AS (
  SELECT r.child_id, r.school_id, r.occurred_at, r.global_position, true AS enrols
    FROM child_registrations r
   WHERE r.school_id IN (SELECT school_id FROM scope_schools) AND ${VISIBLE('r')}
  UNION ALL
  SELECT e.child_id, e.school_id, e.occurred_at, e.global_position, e.change IN ('transferred-in', 'returned')
    FROM enrollment_changes e
   WHERE e.school_id IN (SELECT school_id FROM scope_schools) AND e.change <> 'promoted' AND ${VISIBLE('e')}
),
latest_per_school AS (
  SELECT DISTINCT ON (child_id, school_id) child_id, enrols
    FROM enrollment_facts
   ORDER BY child_id, school_id, occurred_at DESC, global_position DESC
),
enrolled AS (SELECT DISTINCT child_id FROM latest_per_school WHERE enrols)
SELECT count(*)::int AS "childrenInCare",
       count(*) FILTER (WHERE r.category = 'left-behind')::int AS "leftBehindChildren"
  FROM enrolled c
  JOIN child_registrations r ON r.child_id = c.child_id AND ${VISIBLE('r')}
  LEFT JOIN LATERAL (
    SELECT s.change, s.occurred_at, s.global_position
      FROM left_behind_status_changes s
     WHERE s.child_id = c.child_id AND ${VISIBLE('s')}
     ORDER BY s.occurred_at DESC, s.global_position DESC
     LIMIT 1
  ) status ON true
 WHERE r.category <> 'left-behind'
    OR status.change IS NULL
    OR status.change = 'resumed'
    OR (status.occurred_at, status.global_position) < (r.occurred_at, r.global_position)`;

/** Children in care in a scope as of a date (INDICATORS.md "Who counts"). */
export async function childrenInCare(db: EntityManager, request: ChildrenInCareRequest): Promise<ChildrenInCare> {
  const scopeSchools = request.scope.kind === 'school' ? 'SELECT $1::text AS school_id' : SCOPE_SCHOOLS(request.scope.kind);
  const [row] = (await db.query(SQL(scopeSchools), [request.scope.id, request.asOf, request.recordedBy ?? 'infinity'])) as ChildrenInCare[];
  return row;
}
