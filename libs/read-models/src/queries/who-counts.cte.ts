import type { Scope } from './scope';
import { SCOPE_SCHOOLS, VISIBLE } from './scope';

const LEAVES_CARE = `('transferred-out', 'dropped-out', 'graduated')`;

/**
 * CTEs (to follow `WITH`) ending in `in_care (child_id, category)`: the children in care in the
 * scope `$1` as of `$2`, recorded by `$3` (see `VISIBLE`), per INDICATORS.md "Who counts".
 * Per child and school of the scope, the latest enrollment fact recorded there decides:
 * registration, `transferred-in` and `returned` enrol; `transferred-out`, `dropped-out` and
 * `graduated` end it (`promoted` changes nothing). A left-behind child counts while no
 * `LeftBehindStatusEnded` is later than both its registration and its latest
 * `LeftBehindStatusResumed`. Ties in time fall back to stream order (one child, one stream).
 */
export const IN_CARE_CTES = (kind: Scope['kind']) => `
scope_schools AS (${kind === 'school' ? 'SELECT $1::text AS school_id' : SCOPE_SCHOOLS(kind)}),
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
enrolled AS (SELECT DISTINCT child_id FROM latest_per_school WHERE enrols),
in_care AS (
  SELECT c.child_id, r.category
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
      OR (status.occurred_at, status.global_position) < (r.occurred_at, r.global_position)
)`;

/**
 * A CTE (after `IN_CARE_CTES`) `active_pairings (child_id, pairing_id, carer_id)`: pairings of
 * children in care active as of `$2` (INDICATORS.md): started, not ended, the carer not retired,
 * and the child has not stopped being in care since the start — leaving care ends a pairing for
 * good, as the child's fold does, so a child that returns is paired anew.
 */
export const ACTIVE_PAIRINGS_CTE = `
active_pairings AS (
  SELECT p.child_id, p.pairing_id, p.carer_id
    FROM in_care c
    JOIN pairing_changes p ON p.child_id = c.child_id AND p.change = 'started' AND ${VISIBLE('p')}
   WHERE NOT EXISTS (
           SELECT 1 FROM pairing_changes e
            WHERE e.pairing_id = p.pairing_id AND e.child_id = p.child_id AND e.change = 'ended' AND ${VISIBLE('e')})
     AND NOT EXISTS (SELECT 1 FROM carer_retirements x WHERE x.carer_id = p.carer_id AND ${VISIBLE('x')})
     AND NOT EXISTS (
           SELECT 1 FROM enrollment_changes l
            WHERE l.child_id = p.child_id AND l.change IN ${LEAVES_CARE} AND ${VISIBLE('l')}
              AND (l.occurred_at, l.global_position) > (p.occurred_at, p.global_position))
     AND NOT (c.category = 'left-behind' AND EXISTS (
           SELECT 1 FROM left_behind_status_changes s
            WHERE s.child_id = p.child_id AND s.change = 'ended' AND ${VISIBLE('s')}
              AND (s.occurred_at, s.global_position) > (p.occurred_at, p.global_position)))
)`;
