import { countyDateOf } from '@lbc/domain';
import type { EntityManager } from 'typeorm';
import type { FactRow } from '../facts/fact-entities';
import { CHILD_STATE_FACT_ENTITIES, CareActivityRow, CareActivityVoidRow, CarerRetirementRow } from '../facts/fact-entities';
import type { ChildStateFact } from './child-history';
import { childSegments } from './child-history';
import type { ContributionDelta } from './child-contributions';
import { CARER_KEY, MEASURES, childContributions, keyParts } from './child-contributions';
import { EPOCH_MS, childStateFacts } from './child-state-facts';
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
 * epoch ms) by those folded from all their facts as they stand now. Returns those facts.
 */
async function deriveStates(db: EntityManager, since: ReadonlyMap<string, number>): Promise<Map<string, ChildStateFact[]>> {
  if (since.size === 0) return new Map();
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
  return factsOf;
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
// that overlap or touch a new window are merged with the new windows (the others stay as they
// are: no new window joins them). Adding a window already covered changes nothing, so an activity
// applied twice is harmless; one voided already adds none.
const MERGE_COVERS = `
WITH fresh AS (
  SELECT n.child_id, n.cover, n.valid_from, n.valid_to
    FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[]) AS n(child_id, activity_id, cover, valid_from, valid_to)
   WHERE NOT EXISTS (SELECT 1 FROM care_activity_voids v WHERE v.activity_id = n.activity_id AND v.child_id = n.child_id)
),
old AS (
  DELETE FROM child_covers c
   WHERE EXISTS (SELECT 1 FROM fresh f WHERE f.child_id = c.child_id AND f.cover = c.cover AND f.valid_from <= c.valid_to AND c.valid_from <= f.valid_to)
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

// A child's contributions, as one JSON list of `[key, day, v]` changes (read and replaced whole),
// each `v` as its non-zero measures only: `[index, n, index, n, …]`.
const WRITE_CONTRIBUTIONS = `
INSERT INTO child_contributions (child_id, changes) SELECT * FROM unnest($1::text[], $2::json[]) ORDER BY 1
    ON CONFLICT (child_id) DO UPDATE SET changes = excluded.changes`;

// Adds changes to the sums per key and day and per key and month; `v` lists the changes per measure.
// Projectors of several partitions add to the same sums at once: every upsert of shared rows here
// goes in the order of the table's key, so that two transactions never wait for each other in a cycle.
const ADD_UNIT_CONTRIBUTIONS = `
INSERT INTO unit_contributions (key, carer, grain, day, schools, ${MEASURES.join(', ')})
SELECT k, starts_with(k, '${CARER_KEY}'), g, d, s::text[], ${MEASURES.map((_, i) => `v[${i + 1}]`).join(', ')}
  FROM unnest($1::text[], $2::text[], $3::date[], $4::text[], $5::text[]) AS r(k, g, d, s, vt), LATERAL (SELECT vt::int[] AS v) x
 ORDER BY 2, 3, 4, 1
    ON CONFLICT (carer, grain, day, key) DO UPDATE SET ${MEASURES.map((measure) => `${measure} = unit_contributions.${measure} + excluded.${measure}`).join(', ')}`;

/** A change as `child_contributions` stores it: key, day and the non-zero measures as `[index, n, …]`. */
type StoredChange = [string, string, number[]];

const vectorLiteral = (v: readonly number[]) => `{${v.join(',')}}`;
const sparse = (v: readonly number[]) => v.flatMap((n, i) => (n === 0 ? [] : [i, n]));
function dense(pairs: readonly number[]): number[] {
  const v = new Array<number>(MEASURES.length).fill(0);
  for (let i = 0; i < pairs.length; i += 2) v[pairs[i]] = pairs[i + 1];
  return v;
}

/**
 * Replaces the contributions of the children (child-contributions.ts) by those of their states,
 * covers and carers' retirements as they stand now, and moves the sums by the difference — so
 * deriving a child again without a new fact changes nothing. `since` holds, per child, the
 * earliest instant its new facts can change anything from (-Infinity: any): its changes on days
 * before that instant's county date stand, and only the later ones are evaluated again. `known`
 * holds facts already read.
 */
async function deriveContributions(db: EntityManager, since: ReadonlyMap<string, number>, known: ReadonlyMap<string, ChildStateFact[]>): Promise<void> {
  if (since.size === 0) return;
  const childIds = [...since.keys()];
  const missing = childIds.filter((childId) => !known.has(childId));
  const read = await childStateFacts(db, missing, INFINITY, INFINITY);
  const factsOf = (childId: string) => known.get(childId) ?? read.get(childId) ?? [];
  const covers = new Map<string, { cover: Cover; from: number; to: number }[]>();
  for (const row of (await db.query(
    `SELECT child_id AS "childId", cover, ${EPOCH_MS('valid_from')} AS "from", ${EPOCH_MS('valid_to')} AS "to" FROM child_covers WHERE child_id = ANY($1)`,
    [childIds],
  )) as { childId: string; cover: Cover; from: number; to: number }[]) {
    const list = covers.get(row.childId);
    if (list) list.push(row);
    else covers.set(row.childId, [row]);
  }
  const carers = new Set<string>();
  for (const childId of childIds) for (const fact of factsOf(childId)) if (fact.type === 'pairing' && fact.carerId !== null) carers.add(fact.carerId);
  const retiredAt = new Map<string, number>();
  if (carers.size > 0) {
    for (const row of (await db.query(
      `SELECT carer_id AS "carerId", ${EPOCH_MS('min(occurred_at)')} AS at FROM carer_retirements WHERE carer_id = ANY($1) GROUP BY carer_id`,
      [[...carers]],
    )) as { carerId: string; at: number }[])
      retiredAt.set(row.carerId, row.at);
  }
  const stored = new Map<string, string>();
  for (const row of (await db.query('SELECT child_id, changes::text AS changes FROM child_contributions WHERE child_id = ANY($1)', [childIds])) as {
    child_id: string;
    changes: string;
  }[])
    stored.set(row.child_id, row.changes);

  // The difference per key and day: the new contributions less the old ones.
  const difference = new Map<string, ContributionDelta>();
  const add = (key: string, day: string, v: readonly number[], sign: number) => {
    const id = `${key}\u0000${day}`;
    const sum = difference.get(id) ?? { key, day, v: new Array<number>(MEASURES.length).fill(0) };
    v.forEach((n, i) => (sum.v[i] += sign * n));
    difference.set(id, sum);
  };
  // A child whose contributions did not change is neither rewritten nor summed again.
  const fresh = new Map<string, string>();
  for (const childId of childIds) {
    const instant = since.get(childId) as number;
    const from = instant === -Infinity ? null : countyDateOf(instant);
    const old = JSON.parse(stored.get(childId) ?? '[]') as StoredChange[];
    const kept = from === null ? [] : old.filter(([, day]) => day < from);
    const changes = childContributions(childSegments(factsOf(childId)), { covers: covers.get(childId) ?? [], retiredAt }, from);
    const text = JSON.stringify([...kept, ...changes.map(({ key, day, v }): StoredChange => [key, day, sparse(v)])]);
    if (text === stored.get(childId)) continue;
    fresh.set(childId, text);
    for (const [key, day, v] of old) if (from === null || day >= from) add(key, day, dense(v), -1);
    for (const { key, day, v } of changes) add(key, day, v, 1);
  }
  if (fresh.size > 0) await db.query(WRITE_CONTRIBUTIONS, [[...fresh.keys()], [...fresh.values()]]);

  const sums = new Map<string, { key: string; grain: string; day: string; v: number[] }>();
  for (const { key, day, v } of difference.values()) {
    if (v.every((n) => n === 0)) continue;
    for (const [grain, first] of [
      ['d', day],
      ['m', `${day.slice(0, 8)}01`],
    ]) {
      const id = `${key}\u0000${grain}${first}`;
      const sum = sums.get(id);
      if (sum) v.forEach((n, i) => (sum.v[i] += n));
      else sums.set(id, { key, grain, day: first, v: [...v] });
    }
  }
  if (sums.size === 0) return;
  const columns: string[][] = [[], [], [], [], []];
  for (const { key, grain, day, v } of sums.values())
    [key, grain, day, arrayLiteral(keyParts(key).schools), vectorLiteral(v)].forEach((value, i) => columns[i].push(value));
  await db.query(ADD_UNIT_CONTRIBUTIONS, columns);
}

/** The carer of the counts of every carer's activities in `school_activity_days`. */
export const ALL_CARERS = '*';

// The care activities of a school, carer and county date, counted from the activities not voided.
const DAY_COUNTS = `
SELECT a.school_id, coalesce(a.carer_id, '') AS carer_id, (a.occurred_at AT TIME ZONE 'Asia/Shanghai')::date AS day,
       count(*)::int AS activities, count(*) FILTER (WHERE a.kind = 'aid')::int AS aid, coalesce(sum(a.amount_yuan) FILTER (WHERE a.kind = 'aid'), 0) AS yuan
  FROM care_activities a`;
const NOT_VOIDED = 'NOT EXISTS (SELECT 1 FROM care_activity_voids v WHERE v.activity_id = a.activity_id AND v.child_id = a.child_id)';

// Moves the counts of the days and months by the activities of new facts: `$1` the event ids of new
// activities (each adds itself unless voided already), `$2` those of new voids (each takes away
// the activity it voids, once, unless that activity is new too and so was never added).
const ADD_ACTIVITY_DAYS = `
WITH changed AS (
  SELECT a.school_id, coalesce(a.carer_id, '') AS carer_id, (a.occurred_at AT TIME ZONE 'Asia/Shanghai')::date AS day, 1 AS sign, a.kind, a.amount_yuan
    FROM care_activities a
   WHERE a.event_id = ANY($1::uuid[]) AND a.school_id IS NOT NULL AND ${NOT_VOIDED}
  UNION ALL
  SELECT a.school_id, coalesce(a.carer_id, ''), (a.occurred_at AT TIME ZONE 'Asia/Shanghai')::date, -1, a.kind, a.amount_yuan
    FROM care_activities a
   WHERE a.school_id IS NOT NULL AND NOT a.event_id = ANY($1::uuid[])
     AND (a.child_id, a.activity_id) IN (SELECT child_id, activity_id FROM care_activity_voids WHERE event_id = ANY($2::uuid[]))
     AND NOT EXISTS (SELECT 1 FROM care_activity_voids v WHERE v.activity_id = a.activity_id AND v.child_id = a.child_id AND NOT v.event_id = ANY($2::uuid[]))
)
INSERT INTO school_activity_days (school_id, carer_id, grain, day, activities, aid, yuan)
SELECT c.school_id, k.carer_id, g.grain, g.day, sum(c.sign)::int, coalesce(sum(c.sign) FILTER (WHERE c.kind = 'aid'), 0)::int, coalesce(sum(c.sign * c.amount_yuan) FILTER (WHERE c.kind = 'aid'), 0)
  FROM changed c, unnest(ARRAY[c.carer_id, '${ALL_CARERS}']) AS k(carer_id), LATERAL (VALUES ('d', c.day), ('m', date_trunc('month', c.day)::date)) AS g(grain, day)
 GROUP BY 1, 2, 3, 4
 ORDER BY 2, 3, 4, 1
    ON CONFLICT (carer_id, grain, day, school_id) DO UPDATE
   SET activities = school_activity_days.activities + excluded.activities, aid = school_activity_days.aid + excluded.aid,
       yuan = school_activity_days.yuan + excluded.yuan`;

const STATE_FACTS = new Set<unknown>(CHILD_STATE_FACT_ENTITIES);

/**
 * Brings the derived tables up to date with facts just written (in the same transaction), each
 * fact once: `facts` are those the write inserted, not those present already (the activity counts
 * are moved by each). The states of every child with a new state fact are folded again from all
 * its facts (a child has few, and a late fact may change any of its states); a void recomputes the
 * child's covers; other activities add their windows.
 */
export async function deriveFromFacts(db: EntityManager, facts: readonly FactRow[]): Promise<void> {
  const stateChildren = new Map<string, number>();
  const voidChildren = new Set<string>();
  const coverChildren = new Map<string, number>();
  const retiredCarers: string[] = [];
  const activities: string[] = [];
  const voids: string[] = [];
  const fresh: unknown[][] = [[], [], [], [], []];
  for (const fact of facts) {
    if (fact instanceof CareActivityVoidRow) {
      voidChildren.add(fact.childId);
      voids.push(fact.eventId);
    } else if (fact instanceof CareActivityRow) {
      activities.push(fact.eventId);
      const interval = coverOf(fact.kind, Date.parse(fact.occurredAt));
      if (interval) {
        [fact.childId, fact.activityId, interval.cover, iso(interval.from), iso(interval.to)].forEach((value, i) => fresh[i].push(value));
        coverChildren.set(fact.childId, Math.min(interval.from, coverChildren.get(fact.childId) ?? interval.from));
      }
    } else if (fact instanceof CarerRetirementRow) retiredCarers.push(fact.carerId);
    else if (STATE_FACTS.has(fact.constructor)) {
      const { childId } = fact as { childId: string };
      const at = Date.parse(fact.occurredAt);
      stateChildren.set(childId, Math.min(at, stateChildren.get(childId) ?? at));
    }
  }
  const known = await deriveStates(db, stateChildren);
  await deriveCovers(db, [...voidChildren]);
  if (fresh[0].length > 0) await db.query(MERGE_COVERS, fresh);
  // A retirement ends the pairings of every child the carer was ever paired with.
  const paired =
    retiredCarers.length === 0
      ? []
      : ((await db.query('SELECT DISTINCT child_id FROM pairing_changes WHERE carer_id = ANY($1)', [retiredCarers])) as { child_id: string }[]).map(
          (row) => row.child_id,
        );
  // From when each child's contributions may change: a void or a retirement may change any day.
  const since = new Map(stateChildren);
  for (const [childId, from] of coverChildren) since.set(childId, Math.min(from, since.get(childId) ?? from));
  for (const childId of [...voidChildren, ...paired]) since.set(childId, -Infinity);
  await deriveContributions(db, since, known);
  if (activities.length > 0 || voids.length > 0) await db.query(ADD_ACTIVITY_DAYS, [activities, voids]);
}

/**
 * Derives the tables afresh from every fact (a rebuild, or read models that predate them), a slice
 * of children at a time; without `contributions`, the states and covers alone (the tables of the
 * migration that introduced them).
 */
export async function deriveAll(db: EntityManager, { sliceSize = 5000, contributions = true } = {}): Promise<void> {
  await db.query('TRUNCATE child_states, child_covers');
  if (contributions) {
    await db.query('TRUNCATE child_contributions, unit_contributions, school_activity_days');
    await db.query(`INSERT INTO school_activity_days (school_id, carer_id, grain, day, activities, aid, yuan)
      SELECT school_id, carer_id, 'd', day, activities, aid, yuan FROM (${DAY_COUNTS} WHERE a.school_id IS NOT NULL AND ${NOT_VOIDED} GROUP BY 1, 2, 3) d`);
    await db.query(`INSERT INTO school_activity_days (school_id, carer_id, grain, day, activities, aid, yuan)
      SELECT school_id, '${ALL_CARERS}', 'd', day, sum(activities), sum(aid), sum(yuan) FROM school_activity_days GROUP BY 1, 4`);
    await db.query(`INSERT INTO school_activity_days (school_id, carer_id, grain, day, activities, aid, yuan)
      SELECT school_id, carer_id, 'm', date_trunc('month', day)::date, sum(activities), sum(aid), sum(yuan) FROM school_activity_days GROUP BY 1, 2, 4`);
  }
  const childIds = ((await db.query('SELECT DISTINCT child_id FROM child_registrations ORDER BY child_id')) as { child_id: string }[]).map(
    (row) => row.child_id,
  );
  for (let i = 0; i < childIds.length; i += sliceSize) {
    const slice = childIds.slice(i, i + sliceSize);
    const fromTheStart = new Map(slice.map((childId) => [childId, -Infinity]));
    const known = await deriveStates(db, fromTheStart);
    await deriveCovers(db, slice);
    if (contributions) await deriveContributions(db, fromTheStart, known);
  }
}
