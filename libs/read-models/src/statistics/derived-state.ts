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

const INSERT_CONTRIBUTIONS = `
INSERT INTO child_contributions (child_id, key, day, v)
SELECT c, k, d, v::int[] FROM unnest($1::text[], $2::text[], $3::date[], $4::text[]) AS r(c, k, d, v)`;

// Adds changes to the sums per key and day and per key and month; `v` lists the changes per measure.
const ADD_UNIT_CONTRIBUTIONS = `
INSERT INTO unit_contributions (key, carer, grain, day, schools, ${MEASURES.join(', ')})
SELECT k, starts_with(k, '${CARER_KEY}'), g, d, s::text[], ${MEASURES.map((_, i) => `v[${i + 1}]`).join(', ')}
  FROM unnest($1::text[], $2::text[], $3::date[], $4::text[], $5::text[]) AS r(k, g, d, s, vt), LATERAL (SELECT vt::int[] AS v) x
    ON CONFLICT (carer, grain, day, key) DO UPDATE SET ${MEASURES.map((measure) => `${measure} = unit_contributions.${measure} + excluded.${measure}`).join(', ')}`;

const vectorLiteral = (v: readonly number[]) => `{${v.join(',')}}`;

/**
 * Replaces the contributions of the children (child-contributions.ts) by those of their states,
 * covers and carers' retirements as they stand now, and moves the sums by the difference — so
 * deriving a child again without a new fact changes nothing. `known` holds facts already read.
 */
async function deriveContributions(db: EntityManager, childIds: readonly string[], known: ReadonlyMap<string, ChildStateFact[]>): Promise<void> {
  if (childIds.length === 0) return;
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

  // The difference per key and day: the new contributions less the old ones.
  const difference = new Map<string, ContributionDelta>();
  const add = (key: string, day: string, v: readonly number[], sign: number) => {
    const id = `${key}\u0000${day}`;
    const sum = difference.get(id) ?? { key, day, v: new Array<number>(MEASURES.length).fill(0) };
    v.forEach((n, i) => (sum.v[i] += sign * n));
    difference.set(id, sum);
  };
  // Only the rows of a child that changed are rewritten: a new activity moves a few days of its contributions.
  const fresh = new Map<string, [string, string, string, string]>();
  for (const childId of childIds) {
    for (const delta of childContributions(childSegments(factsOf(childId)), { covers: covers.get(childId) ?? [], retiredAt })) {
      fresh.set(`${childId}\u0000${delta.key}\u0000${delta.day}`, [childId, delta.key, delta.day, vectorLiteral(delta.v)]);
      add(delta.key, delta.day, delta.v, 1);
    }
  }
  const stale: string[][] = [[], [], []];
  for (const row of (await db.query('SELECT child_id, key, day::text AS day, v FROM child_contributions WHERE child_id = ANY($1)', [childIds])) as {
    child_id: string;
    key: string;
    day: string;
    v: number[];
  }[]) {
    add(row.key, row.day, row.v, -1);
    const id = `${row.child_id}\u0000${row.key}\u0000${row.day}`;
    if (fresh.get(id)?.[3] === vectorLiteral(row.v)) fresh.delete(id);
    else [row.child_id, row.key, row.day].forEach((value, i) => stale[i].push(value));
  }
  if (stale[0].length > 0) {
    await db.query(
      `DELETE FROM child_contributions c USING unnest($1::text[], $2::text[], $3::date[]) AS d(child_id, key, day)
        WHERE c.child_id = ANY($1) AND c.child_id = d.child_id AND c.key = d.key AND c.day = d.day`,
      stale,
    );
  }
  if (fresh.size > 0) {
    const columns: string[][] = [[], [], [], []];
    for (const row of fresh.values()) row.forEach((value, i) => columns[i].push(value));
    await db.query(INSERT_CONTRIBUTIONS, columns);
  }

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

// Counts the days `$1`/`$2`/`$3` (school, carer, date) again and moves their months by the difference.
const RECOUNT_DAYS = `
WITH k AS (
  SELECT DISTINCT school_id, c AS carer_id, day FROM unnest($1::text[], $2::text[], $3::date[]) AS k(school_id, carer_id, day), unnest(ARRAY[carer_id, '${ALL_CARERS}']) AS c
),
counted AS (
  SELECT k.school_id, k.carer_id, k.day, count(*)::int AS activities, count(*) FILTER (WHERE a.kind = 'aid')::int AS aid,
         coalesce(sum(a.amount_yuan) FILTER (WHERE a.kind = 'aid'), 0) AS yuan
    FROM k JOIN care_activities a ON a.school_id = k.school_id AND (k.carer_id = '${ALL_CARERS}' OR coalesce(a.carer_id, '') = k.carer_id)
     AND a.occurred_at >= (k.day::timestamp AT TIME ZONE 'Asia/Shanghai') AND a.occurred_at < ((k.day + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')
   WHERE ${NOT_VOIDED}
   GROUP BY 1, 2, 3
),
now AS (
  SELECT k.school_id, k.carer_id, k.day, coalesce(c.activities, 0) AS activities, coalesce(c.aid, 0) AS aid, coalesce(c.yuan, 0) AS yuan
    FROM k LEFT JOIN counted c USING (school_id, carer_id, day)
),
diff AS (
  SELECT now.school_id, now.carer_id, date_trunc('month', now.day)::date AS month, now.activities - coalesce(d.activities, 0) AS activities,
         now.aid - coalesce(d.aid, 0) AS aid, now.yuan - coalesce(d.yuan, 0) AS yuan
    FROM now LEFT JOIN school_activity_days d ON d.grain = 'd' AND d.day = now.day AND d.school_id = now.school_id AND d.carer_id = now.carer_id
),
days AS (
  INSERT INTO school_activity_days (school_id, carer_id, grain, day, activities, aid, yuan)
  SELECT school_id, carer_id, 'd', day, activities, aid, yuan FROM now
      ON CONFLICT (carer_id, grain, day, school_id) DO UPDATE SET activities = excluded.activities, aid = excluded.aid, yuan = excluded.yuan
  RETURNING 1
),
months AS (
  INSERT INTO school_activity_days (school_id, carer_id, grain, day, activities, aid, yuan)
  SELECT school_id, carer_id, 'm', month, sum(activities), sum(aid), sum(yuan) FROM diff GROUP BY school_id, carer_id, month
      ON CONFLICT (carer_id, grain, day, school_id) DO UPDATE
     SET activities = school_activity_days.activities + excluded.activities, aid = school_activity_days.aid + excluded.aid,
         yuan = school_activity_days.yuan + excluded.yuan
  RETURNING 1
)
SELECT (SELECT count(*) FROM days) + (SELECT count(*) FROM months) AS n`;

/** Counts again the days of the activities (`activities`: of new activities; `voided`: the ids of voided ones, per child). */
async function recountDays(db: EntityManager, days: readonly { schoolId: string; carerId: string; day: string }[], voided: readonly [string, string][]) {
  const keys: string[][] = [[], [], []];
  for (const { schoolId, carerId, day } of days) [schoolId, carerId, day].forEach((value, i) => keys[i].push(value));
  if (voided.length > 0) {
    for (const row of (await db.query(
      `SELECT a.school_id, coalesce(a.carer_id, '') AS carer_id, (a.occurred_at AT TIME ZONE 'Asia/Shanghai')::date::text AS day
         FROM care_activities a JOIN unnest($1::text[], $2::text[]) AS v(child_id, activity_id) USING (child_id, activity_id)
        WHERE a.school_id IS NOT NULL`,
      [voided.map(([childId]) => childId), voided.map(([, activityId]) => activityId)],
    )) as { school_id: string; carer_id: string; day: string }[])
      [row.school_id, row.carer_id, row.day].forEach((value, i) => keys[i].push(value));
  }
  if (keys[0].length > 0) await db.query(RECOUNT_DAYS, keys);
}

const STATE_FACTS = new Set<unknown>(CHILD_STATE_FACT_ENTITIES);

/**
 * Brings the derived tables up to date with facts just written (in the same transaction): the
 * states of every child with a new state fact are folded again from all its facts (a child has
 * few, and a late fact may change any of its states); a void recomputes the child's covers; other
 * activities add their windows.
 */
export async function deriveFromFacts(db: EntityManager, facts: readonly FactRow[]): Promise<void> {
  const stateChildren = new Map<string, number>();
  const voidChildren = new Set<string>();
  const coverChildren = new Set<string>();
  const retiredCarers: string[] = [];
  const activityDays: { schoolId: string; carerId: string; day: string }[] = [];
  const voided: [string, string][] = [];
  const fresh: unknown[][] = [[], [], [], [], []];
  for (const fact of facts) {
    if (fact instanceof CareActivityVoidRow) {
      voidChildren.add(fact.childId);
      voided.push([fact.childId, fact.activityId]);
    } else if (fact instanceof CareActivityRow) {
      if (fact.schoolId !== null) activityDays.push({ schoolId: fact.schoolId, carerId: fact.carerId ?? '', day: countyDateOf(Date.parse(fact.occurredAt)) });
      const interval = coverOf(fact.kind, Date.parse(fact.occurredAt));
      if (interval) {
        [fact.childId, fact.activityId, interval.cover, iso(interval.from), iso(interval.to)].forEach((value, i) => fresh[i].push(value));
        coverChildren.add(fact.childId);
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
  await deriveContributions(db, [...new Set([...stateChildren.keys(), ...voidChildren, ...coverChildren, ...paired])], known);
  await recountDays(db, activityDays, voided);
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
    const known = await deriveStates(db, new Map(slice.map((childId) => [childId, -Infinity])));
    await deriveCovers(db, slice);
    if (contributions) await deriveContributions(db, slice, known);
  }
}
