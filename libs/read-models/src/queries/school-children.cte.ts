import { VISIBLE } from './scope';

/** The latest value of a child's archive field, from its registration or a later `ArchiveUpdated` giving it. */
const LATEST_ARCHIVE = (column: string) => `(
  SELECT x.${column}, x.occurred_at, x.global_position FROM (
    SELECT r.${column}, r.occurred_at, r.global_position FROM child_registrations r WHERE r.child_id = c.child_id AND ${VISIBLE('r')}
    UNION ALL
    SELECT u.${column}, u.occurred_at, u.global_position FROM archive_updates u
     WHERE u.child_id = c.child_id AND u.${column} IS NOT NULL AND ${VISIBLE('u')}
  ) x ORDER BY x.occurred_at DESC, x.global_position DESC LIMIT 1)`;

/**
 * A CTE (after `IN_CARE_CTES` and `ACTIVE_PAIRINGS_CTE`) `school_children (child_id, category,
 * grade, class_name, risk_flags, paired)`: what the school's lists show of each child in care.
 * The grade is the latest one given, plus the `promoted` changes after it (at most 12), as the
 * child's fold counts them; `risk_flags` are the open ones, in name order.
 */
export const SCHOOL_CHILDREN_CTE = `
school_children AS (
  SELECT c.child_id, c.category,
         least(g.grade + (
           SELECT count(*) FROM enrollment_changes p
            WHERE p.child_id = c.child_id AND p.change = 'promoted' AND ${VISIBLE('p')}
              AND (p.occurred_at, p.global_position) > (g.occurred_at, g.global_position)), 12)::int AS grade,
         k.class_name,
         ARRAY(
           SELECT f.flag FROM (
             SELECT DISTINCT ON (f.flag) f.flag, f.change FROM risk_flag_changes f
              WHERE f.child_id = c.child_id AND ${VISIBLE('f')}
              ORDER BY f.flag, f.occurred_at DESC, f.global_position DESC
           ) f WHERE f.change = 'flagged' ORDER BY f.flag) AS risk_flags,
         EXISTS (SELECT 1 FROM active_pairings a WHERE a.child_id = c.child_id) AS paired
    FROM in_care c
    CROSS JOIN LATERAL ${LATEST_ARCHIVE('grade')} g
    CROSS JOIN LATERAL ${LATEST_ARCHIVE('class_name')} k
)`;
