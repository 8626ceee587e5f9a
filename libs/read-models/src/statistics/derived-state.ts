import type { EntityManager } from 'typeorm';
import { CareActivityRow, CareActivityVoidRow, PairingChangeRow } from '../facts/care-facts.entity';
import {
  ArchiveUpdateRow,
  ChildRegistrationRow,
  EnrollmentChangeRow,
  GuardianshipChangeRow,
  LeftBehindStatusChangeRow,
  RiskFlagChangeRow,
} from '../facts/child-facts.entity';
import type { FactRow } from '../facts/fact-entities';
import { childSegments } from './child-history';
import { childStateFacts } from './child-state-facts';
import type { Cover } from './cover';
import { COVER_KINDS, coverOf, mergedCovers } from './cover';

// Derived from the fact tables, for figures without `recordedBy` (which must see the history as
// recorded at a past moment, and so reads the facts): per child, its states over occurred time
// (`child_states`) and the windows its care activities cover (`child_covers`). A county's figures
// as of a date then read one state and a few covers per child, never the history behind them.
// Both are kept by the projector in the transaction of the facts they derive from.

const INFINITY = 'infinity';
const iso = (ms: number | null) => (ms === null ? INFINITY : ms === -Infinity ? '-infinity' : new Date(ms).toISOString());

// A child's states before its earliest new fact stay as they are: only those from there on are replaced.
const DELETE_STATES = `DELETE FROM child_states s USING unnest($1::text[], $2::timestamptz[]) AS d(child_id, since)
 WHERE s.child_id = ANY($1) AND s.child_id = d.child_id AND s.valid_to >= d.since`;
const INSERT_STATES = `
INSERT INTO child_states (child_id, valid_from, valid_to, in_care, enrolled, enrolled_in_year, category, guardian_type, archive_complete, flagged, carers, dropped_out_at, last_school)
SELECT c, f, t, ic::text[], en::text[], ey::text[], cat, g, ac, fl, ca::text[], d, ls
  FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::boolean[], $10::boolean[],
              $11::text[], $12::timestamptz[], $13::text[])
       AS r(c, f, t, ic, en, ey, cat, g, ac, fl, ca, d, ls)`;

const arrayLiteral = (items: readonly string[]) => `{${items.map((item) => `"${item.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;

/**
 * Replaces the states of the children from the instant of their earliest new fact on (`since`,
 * epoch ms) by those folded from all their facts as they stand now.
 */
async function deriveStates(db: EntityManager, since: ReadonlyMap<string, number>): Promise<void> {
  if (since.size === 0) return;
  const childIds = [...since.keys()];
  const factsOf = await childStateFacts(db, childIds, INFINITY, INFINITY);
  const columns: unknown[][] = Array.from({ length: 13 }, () => []);
  for (const [childId, facts] of factsOf) {
    const from = since.get(childId) as number;
    for (const { from: start, to, state, enrolledInYear } of childSegments(facts)) {
      if (to !== null && to < from) continue;
      const values = [
        childId,
        iso(start),
        iso(to),
        arrayLiteral(state.inCareAt),
        arrayLiteral(state.enrolledAt),
        arrayLiteral(enrolledInYear),
        state.category,
        state.guardianType,
        state.archiveComplete,
        state.flagged,
        arrayLiteral(state.pairings.map((pairing) => pairing.carerId)),
        state.droppedOutAt === null ? null : iso(state.droppedOutAt),
        state.lastSchool,
      ];
      values.forEach((value, i) => columns[i].push(value));
    }
  }
  await db.query(DELETE_STATES, [childIds, childIds.map((childId) => iso(since.get(childId) as number))]);
  if (columns[0].length > 0) await db.query(INSERT_STATES, columns);
}

const INSERT_COVERS = `
INSERT INTO child_covers (child_id, cover, valid_from, valid_to)
SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[])`;

/** Replaces the covers of the children by those of their activities not voided. */
async function deriveCovers(db: EntityManager, childIds: readonly string[]): Promise<void> {
  if (childIds.length === 0) return;
  const rows = (await db.query(
    `SELECT a.child_id AS "childId", a.kind, floor(extract(epoch FROM a.occurred_at) * 1000)::float8 AS at
       FROM care_activities a
      WHERE a.child_id = ANY($1) AND a.kind = ANY($2)
        AND NOT EXISTS (SELECT 1 FROM care_activity_voids v WHERE v.activity_id = a.activity_id AND v.child_id = a.child_id)`,
    [childIds, COVER_KINDS],
  )) as { childId: string; kind: string; at: number }[];
  const byChild = new Map<string, { cover: Cover; from: number; to: number }[]>();
  for (const row of rows) {
    const interval = coverOf(row.kind, row.at);
    if (!interval) continue;
    const intervals = byChild.get(row.childId);
    if (intervals) intervals.push(interval);
    else byChild.set(row.childId, [interval]);
  }
  const columns: unknown[][] = [[], [], [], []];
  for (const [childId, intervals] of byChild) {
    for (const { cover, from, to } of mergedCovers(intervals)) [childId, cover, iso(from), iso(to)].forEach((value, i) => columns[i].push(value));
  }
  await db.query('DELETE FROM child_covers WHERE child_id = ANY($1)', [childIds]);
  if (columns[0].length > 0) await db.query(INSERT_COVERS, columns);
}

// Adds the windows of new activities to the children's covers: the covers of each (child, cover)
// touched and the new windows are merged where they overlap or touch. Adding a window already
// covered changes nothing, so an activity applied twice is harmless; one voided already adds none.
const MERGE_COVERS = `
WITH fresh AS (
  SELECT n.child_id, n.cover, n.valid_from, n.valid_to
    FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[]) AS n(child_id, activity_id, cover, valid_from, valid_to)
   WHERE NOT EXISTS (SELECT 1 FROM care_activity_voids v WHERE v.activity_id = n.activity_id AND v.child_id = n.child_id)
),
old AS (
  DELETE FROM child_covers c USING (SELECT DISTINCT child_id, cover FROM fresh) k
   WHERE c.child_id = k.child_id AND c.cover = k.cover
  RETURNING c.child_id, c.cover, c.valid_from, c.valid_to
),
windows AS (SELECT * FROM old UNION ALL SELECT * FROM fresh),
starts AS (
  SELECT *, CASE WHEN valid_from <= max(valid_to) OVER (PARTITION BY child_id, cover ORDER BY valid_from, valid_to ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
                 THEN 0 ELSE 1 END AS starts
    FROM windows
),
islands AS (SELECT *, sum(starts) OVER (PARTITION BY child_id, cover ORDER BY valid_from, valid_to) AS island FROM starts)
INSERT INTO child_covers (child_id, cover, valid_from, valid_to)
SELECT child_id, cover, min(valid_from), max(valid_to) FROM islands GROUP BY child_id, cover, island`;

const STATE_FACTS = new Set<unknown>([
  ChildRegistrationRow,
  ArchiveUpdateRow,
  GuardianshipChangeRow,
  EnrollmentChangeRow,
  LeftBehindStatusChangeRow,
  RiskFlagChangeRow,
  PairingChangeRow,
]);

/**
 * Brings the derived tables up to date with facts just written (in the same transaction): the
 * states of every child with a new state fact are folded again from all its facts (a child has
 * few, and a late fact may change any of its states); a void recomputes the child's covers; other
 * activities add their windows.
 */
export async function deriveFromFacts(db: EntityManager, facts: readonly FactRow[]): Promise<void> {
  const stateChildren = new Map<string, number>();
  const voidChildren = new Set<string>();
  const fresh: unknown[][] = [[], [], [], [], []];
  for (const fact of facts) {
    if (fact instanceof CareActivityVoidRow) voidChildren.add(fact.childId);
    else if (fact instanceof CareActivityRow) {
      const interval = coverOf(fact.kind, Date.parse(fact.occurredAt));
      if (interval) [fact.childId, fact.activityId, interval.cover, iso(interval.from), iso(interval.to)].forEach((value, i) => fresh[i].push(value));
    } else if (STATE_FACTS.has(fact.constructor)) {
      const { childId } = fact as { childId: string };
      const at = Date.parse(fact.occurredAt);
      stateChildren.set(childId, Math.min(at, stateChildren.get(childId) ?? at));
    }
  }
  await deriveStates(db, stateChildren);
  await deriveCovers(db, [...voidChildren]);
  if (fresh[0].length > 0) await db.query(MERGE_COVERS, fresh);
}

/** Derives both tables afresh from every fact (a rebuild, or read models that predate them), a slice of children at a time. */
export async function deriveAll(db: EntityManager, sliceSize = 5000): Promise<void> {
  await db.query('TRUNCATE child_states, child_covers');
  const childIds = ((await db.query('SELECT DISTINCT child_id FROM child_registrations ORDER BY child_id')) as { child_id: string }[]).map(
    (row) => row.child_id,
  );
  for (let i = 0; i < childIds.length; i += sliceSize) {
    const slice = childIds.slice(i, i + sliceSize);
    await deriveStates(db, new Map(slice.map((childId) => [childId, -Infinity])));
    await deriveCovers(db, slice);
  }
}
