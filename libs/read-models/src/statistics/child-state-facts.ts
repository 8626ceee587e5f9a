import type { EntityManager } from 'typeorm';
import type { ChildStateFact } from './child-history';
import { byOccurrence } from './child-history';

export const EPOCH_MS = (column: string) => `floor(extract(epoch FROM ${column}) * 1000)::float8`;
/** Occurred before `$2` (the instant after asOf), recorded by `$3`. */
export const SEEN = (alias: string) => `${alias}.occurred_at < $2::timestamptz AND ${alias}.recorded_at <= $3::timestamptz`;

// One row per state fact of the children `$1`: t (type), a/b/c (type-specific texts), f (personal fields).
const STATE_FACTS_SQL = `
SELECT 'registered' AS t, child_id, ${EPOCH_MS('r.occurred_at')} AS at, r.global_position::float8 AS pos,
       r.school_id AS a, r.category AS b, r.parents_away AS c, r.guardian_type AS d, r.personal_fields AS f
  FROM child_registrations r WHERE r.child_id = ANY($1) AND ${SEEN('r')}
UNION ALL
SELECT 'enrollment', child_id, ${EPOCH_MS('r.occurred_at')}, r.global_position::float8, r.school_id, r.change, NULL, NULL, NULL
  FROM enrollment_changes r WHERE r.child_id = ANY($1) AND ${SEEN('r')}
UNION ALL
SELECT 'archive', child_id, ${EPOCH_MS('r.occurred_at')}, r.global_position::float8, r.parents_away, NULL, NULL, NULL, r.personal_fields
  FROM archive_updates r WHERE r.child_id = ANY($1) AND ${SEEN('r')}
UNION ALL
SELECT 'guardianship', child_id, ${EPOCH_MS('r.occurred_at')}, r.global_position::float8, r.guardian_type, NULL, NULL, NULL, r.personal_fields
  FROM guardianship_changes r WHERE r.child_id = ANY($1) AND ${SEEN('r')}
UNION ALL
SELECT 'status', child_id, ${EPOCH_MS('r.occurred_at')}, r.global_position::float8, r.change, r.parents_away, NULL, NULL, NULL
  FROM left_behind_status_changes r WHERE r.child_id = ANY($1) AND ${SEEN('r')}
UNION ALL
SELECT 'risk', child_id, ${EPOCH_MS('r.occurred_at')}, r.global_position::float8, r.flag, r.change, NULL, NULL, NULL
  FROM risk_flag_changes r WHERE r.child_id = ANY($1) AND ${SEEN('r')}
UNION ALL
SELECT 'pairing', child_id, ${EPOCH_MS('r.occurred_at')}, r.global_position::float8, r.pairing_id, r.change, r.carer_id, NULL, NULL
  FROM pairing_changes r WHERE r.child_id = ANY($1) AND ${SEEN('r')}`;

interface StateFactRow {
  t: ChildStateFact['type'];
  child_id: string;
  at: number;
  pos: number;
  a: string | null;
  b: string | null;
  c: string | null;
  d: string | null;
  f: string[] | null;
}

function stateFactOf(row: StateFactRow): ChildStateFact {
  const { at, pos: position } = row;
  const text = (value: string | null) => value as string;
  switch (row.t) {
    case 'registered':
      return {
        type: 'registered',
        at,
        position,
        schoolId: text(row.a),
        category: text(row.b),
        parentsAway: text(row.c),
        guardianType: text(row.d),
        personalFields: row.f ?? [],
      };
    case 'enrollment':
      return { type: 'enrollment', at, position, schoolId: text(row.a), change: text(row.b) };
    case 'archive':
      return { type: 'archive', at, position, parentsAway: row.a, personalFields: row.f ?? [] };
    case 'guardianship':
      return { type: 'guardianship', at, position, guardianType: text(row.a), personalFields: row.f ?? [] };
    case 'status':
      return { type: 'status', at, position, change: row.a as 'ended' | 'resumed', parentsAway: row.b };
    case 'risk':
      return { type: 'risk', at, position, flag: text(row.a), change: row.b as 'flagged' | 'cleared' };
    case 'pairing':
      return { type: 'pairing', at, position, pairingId: text(row.a), change: row.b as 'started' | 'ended', carerId: row.c };
  }
}

/**
 * The state facts of the children, per child in occurred-time order: those that occurred before
 * `end` and were recorded by `recordedBy` (`infinity` for either: all of them).
 */
export async function childStateFacts(
  db: EntityManager,
  childIds: readonly string[],
  end: string,
  recordedBy: string,
): Promise<Map<string, ChildStateFact[]>> {
  const factsOf = new Map<string, ChildStateFact[]>();
  if (childIds.length === 0) return factsOf;
  for (const row of (await db.query(STATE_FACTS_SQL, [childIds, end, recordedBy])) as StateFactRow[]) {
    const facts = factsOf.get(row.child_id);
    if (facts) facts.push(stateFactOf(row));
    else factsOf.set(row.child_id, [stateFactOf(row)]);
  }
  for (const facts of factsOf.values()) facts.sort(byOccurrence);
  return factsOf;
}
