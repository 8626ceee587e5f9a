import type { GuardianType } from '@lbc/domain';
import { DAY_MS, GUARDIAN_TYPES, countyDateOf, schoolYearOf, semesterOf, startOfDay } from '@lbc/domain';
import type { EntityManager } from 'typeorm';
import type { Scope } from '../queries/scope';
import { childStateAt } from './child-history';
import type { Measure } from './child-contributions';
import { MEASURES, keyParts } from './child-contributions';
import { ALL_CARERS } from './derived-state';
import { EPOCH_MS, SEEN, childStateFacts } from './child-state-facts';
import type { Cover } from './cover';
import { COVER_KINDS, coverOf, earliestCovering } from './cover';
import type { CountyFigures, CountyFiguresRequest, CountyUnit, UnitFigures } from './unit-figures';

/** Minutes within which each party of an incident must be notified (DOMAIN.md, 应急机制). */
const DEADLINES = {
  guardian: 30,
  parents: 60,
  'education-bureau': 120,
  'township-government': 120,
} as const;
const INFINITY = 'infinity';

const NOT_VOIDED = `NOT EXISTS (SELECT 1 FROM care_activity_voids v
   WHERE v.activity_id = a.activity_id AND v.child_id = a.child_id AND v.recorded_at <= $3::timestamptz)`;

const UNITS_SQL = `
SELECT DISTINCT ON (s.school_id) s.school_id AS "schoolId", s.name AS "schoolName", s.township_id AS "townshipId", s.township_name AS "townshipName"
  FROM schools s WHERE s.county_id = $1 AND ${SEEN('s')}
 ORDER BY s.school_id, s.occurred_at DESC, s.global_position DESC`;

// $1 the county's schools; every child with an enrollment fact at one of them.
const CHILDREN_SQL = `
SELECT child_id FROM child_registrations r WHERE r.school_id = ANY($1) AND ${SEEN('r')}
 UNION
SELECT child_id FROM enrollment_changes r WHERE r.school_id = ANY($1) AND ${SEEN('r')}`;

// The carers `$1`: organisation as registered, and whether retired.
const CARERS_SQL = `
SELECT c.carer_id AS "carerId",
       (SELECT r.organisation FROM carers r WHERE r.carer_id = c.carer_id AND ${SEEN('r')} ORDER BY r.occurred_at DESC, r.global_position DESC LIMIT 1) AS organisation,
       EXISTS (SELECT 1 FROM carer_retirements x WHERE x.carer_id = c.carer_id AND ${SEEN('x')}) AS retired
  FROM unnest($1::text[]) AS c(carer_id)`;

// The latest instant of each cadence kind (`$4`) per child (`$1`), among those at or after the kind's earliest instant (`$5`).
const CADENCE_SQL = `
SELECT a.child_id AS "childId", a.kind, max(${EPOCH_MS('a.occurred_at')}) AS at
  FROM care_activities a JOIN unnest($4::text[], $5::timestamptz[]) AS k(kind, since) ON a.kind = k.kind AND a.occurred_at >= k.since
 WHERE a.child_id = ANY($1) AND ${SEEN('a')} AND ${NOT_VOIDED}
 GROUP BY a.child_id, a.kind`;

// Activities of the period [$4, $2) recorded by the county's schools (`$1`).
const PERIOD_ACTIVITIES_SQL = `
SELECT a.school_id AS "schoolId", a.carer_id AS "carerId", a.kind = 'aid' AS aid, count(*)::int AS n, coalesce(sum(a.amount_yuan), 0)::text AS yuan,
       coalesce(array_agg(a.child_id) FILTER (WHERE a.home_id IS NOT NULL), '{}') AS served
  FROM care_activities a
 WHERE a.school_id = ANY($1) AND a.occurred_at >= $4::timestamptz AND ${SEEN('a')} AND ${NOT_VOIDED}
 GROUP BY 1, 2, 3`;

// Incidents of the children `$1` reported by asOf, whether resolved, and when each party was first notified.
const INCIDENTS_SQL = `
SELECT i.child_id AS "childId", ${EPOCH_MS('i.occurred_at')} AS at,
       EXISTS (SELECT 1 FROM incident_resolutions r WHERE r.incident_id = i.incident_id AND r.child_id = i.child_id AND ${SEEN('r')}) AS resolved,
       (SELECT coalesce(json_object_agg(n.party, ${EPOCH_MS('n.occurred_at')}), '{}')
          FROM (SELECT party, min(occurred_at) AS occurred_at FROM incident_notifications n
                 WHERE n.incident_id = i.incident_id AND n.child_id = i.child_id AND ${SEEN('n')} GROUP BY party) n) AS notified
  FROM incidents i
 WHERE i.child_id = ANY($1) AND ${SEEN('i')}`;

// Per school of `$1` and as-of date of `$2` (`i`, its place there; `d.e` the instant after it):
// pupils, homes, home activities and returns of the period [$4, d.e), as recorded by $3.
const SEEN_BY_DATE = (alias: string) => `${alias}.occurred_at < d.e AND ${alias}.recorded_at <= $3::timestamptz`;
const SCHOOL_SQL = `
SELECT d.i::int AS i, s.school_id AS "schoolId",
       coalesce((SELECT e.total_pupils FROM enrollment_reports e WHERE e.school_id = s.school_id AND ${SEEN_BY_DATE('e')}
                  ORDER BY e.occurred_at DESC, e.global_position DESC LIMIT 1), 0) AS pupils,
       (SELECT count(DISTINCT h.home_id) FROM care_homes h WHERE h.school_id = s.school_id AND ${SEEN_BY_DATE('h')})::int AS homes,
       (SELECT count(*) FROM care_home_activities h WHERE h.school_id = s.school_id AND h.occurred_at >= $4::timestamptz AND ${SEEN_BY_DATE('h')})::int AS "homeActivities",
       (SELECT count(*) FROM enrollment_changes e
         WHERE e.school_id = s.school_id AND e.change = 'returned' AND e.occurred_at >= $4::timestamptz AND ${SEEN_BY_DATE('e')})::int AS returned
  FROM unnest($1::text[]) AS s(school_id) CROSS JOIN unnest($2::timestamptz[]) WITH ORDINALITY AS d(e, i)`;

type SchoolFigures = { schoolId: string; pupils: number; homes: number; homeActivities: number; returned: number };

/** The school figures of SCHOOL_SQL per as-of date (`asOfs`), for the period from `from` (an instant). */
async function schoolFigures(
  db: EntityManager,
  schoolIds: readonly string[],
  asOfs: readonly string[],
  recordedBy: string,
  from: string,
): Promise<Map<string, SchoolFigures[]>> {
  const ends = asOfs.map((asOf) => new Date(startOfDay(asOf) + DAY_MS).toISOString());
  const rows = (await db.query(SCHOOL_SQL, [schoolIds, ends, recordedBy, from])) as (SchoolFigures & { i: number })[];
  return byAsOf(rows.map(({ i, ...row }) => ({ asOf: asOfs[i - 1], ...row })));
}

/** The instants that bound the figures of a request, in epoch ms. */
interface Bounds {
  /** The instant after asOf: everything counted occurred before it. */
  readonly end: number;
  readonly from: number;
  readonly semester: number;
  readonly schoolYear: number;
}

function boundsOf(request: CountyFiguresRequest): Bounds {
  return {
    end: startOfDay(request.asOf) + DAY_MS,
    from: startOfDay(request.from),
    semester: startOfDay(semesterOf(request.asOf).start),
    schoolYear: startOfDay(`${schoolYearOf(request.asOf)}-09-01`),
  };
}

/** A unit's tallies while the figures are counted. */
class Tally {
  childrenInCare = 0;
  leftBehindChildren = 0;
  pupils = 0;
  archiveComplete = 0;
  paired = 0;
  carerLoad = { carers: 0, pairings: 0, max: 0, overLimit: 0 };
  guardianshipByType = Object.fromEntries(GUARDIAN_TYPES.map((type) => [type, 0])) as Record<GuardianType, number>;
  readonly careCadence = {
    talk7d: 0,
    contact30d: 0,
    homeVisit92d: 0,
    aidSemester: 0,
    parentMeeting365d: 0,
  };
  familyContact30d = 0;
  readonly dropout = { cohort: 0, droppedOut: 0 };
  returnedAfterDropout = 0;
  healthChecked = 0;
  readonly keyAssistance = { children: 0, paired: 0 };
  readonly aid = { personTimes: 0, yuan: 0 };
  readonly incidents = {
    count: 0,
    withinDeadline: {
      guardian: 0,
      parents: 0,
      educationBureau: 0,
      townshipGovernment: 0,
    },
    open: 0,
  };
  readonly homes = { homes: 0, activities: 0 };
  childrenServed = 0;
  readonly volunteers = { active: 0, pairings: 0, activities: 0 };

  figures(): UnitFigures {
    return {
      childrenInCare: this.childrenInCare,
      leftBehindChildren: this.leftBehindChildren,
      pupils: this.pupils,
      archiveComplete: this.archiveComplete,
      paired: this.paired,
      carerLoad: { ...this.carerLoad },
      guardianNotNone: this.childrenInCare - this.guardianshipByType.none,
      guardianshipByType: { ...this.guardianshipByType },
      careCadence: { ...this.careCadence },
      familyContact30d: this.familyContact30d,
      dropout: { ...this.dropout },
      returnedAfterDropout: this.returnedAfterDropout,
      healthChecked: this.healthChecked,
      keyAssistance: { ...this.keyAssistance },
      aid: {
        personTimes: this.aid.personTimes,
        yuan: Math.round(this.aid.yuan * 100) / 100,
      },
      incidents: {
        count: this.incidents.count,
        withinDeadline: { ...this.incidents.withinDeadline },
        open: this.incidents.open,
      },
      careHomes: {
        homes: this.homes.homes,
        childrenServed: this.childrenServed,
        activities: this.homes.activities,
      },
      volunteers: { ...this.volunteers },
    };
  }
}

/** Unit keys: `s:` school, `t:` township, `c` the county. */
class Units {
  readonly tallies = new Map<string, Tally>();
  /** Per school of the county, the tallies of its school, township and county. */
  private readonly containing = new Map<string, Tally[]>();

  constructor(readonly units: readonly CountyUnit[]) {
    const county = new Tally();
    this.tallies.set('c', county);
    for (const unit of units) {
      const school = new Tally();
      this.tallies.set(`s:${unit.schoolId}`, school);
      if (!this.tallies.has(`t:${unit.townshipId}`)) this.tallies.set(`t:${unit.townshipId}`, new Tally());
      this.containing.set(unit.schoolId, [school, this.tallies.get(`t:${unit.townshipId}`) as Tally, county]);
    }
  }

  /** The tallies of every unit containing any of the schools, each once; none for schools outside the county. */
  of(schools: readonly (string | null)[]): readonly Tally[] {
    const containing = (school: string | null) => (school === null ? undefined : this.containing.get(school)) ?? [];
    if (schools.length === 1) return containing(schools[0]);
    return [...new Set(schools.flatMap(containing))];
  }
}

const INCIDENT_PARTIES = [
  ['guardian', 'guardian'],
  ['parents', 'parents'],
  ['education-bureau', 'educationBureau'],
  ['township-government', 'townshipGovernment'],
] as const;

/**
 * Every figure of a county as of `asOf` (INDICATORS.md), for the county, each township and each
 * school, exactly, leaving out what occurred after asOf and what was recorded after `recordedBy`.
 * Without `recordedBy`, PostgreSQL counts the states and covers the projector derived; with it,
 * each child's state is folded from its state facts as recorded then. Incidents and school facts
 * are read per period only.
 */
export async function countyFigures(db: EntityManager, request: CountyFiguresRequest): Promise<CountyFigures> {
  return figuresWith(db, request, (schoolIds) => derivedAt(db, request, [request.asOf], schoolIds));
}

async function figuresWith(
  db: EntityManager,
  request: CountyFiguresRequest,
  derive: (schoolIds: readonly string[]) => Promise<Derived>,
): Promise<CountyFigures> {
  const bounds = boundsOf(request);
  const end = new Date(bounds.end).toISOString();
  const from = new Date(bounds.from).toISOString();
  const recordedBy = request.recordedBy ?? INFINITY;
  const seen = [end, recordedBy];
  const unitRows = (await db.query(UNITS_SQL, [request.countyId, ...seen])) as CountyUnit[];
  const units = [...unitRows].sort((a, b) => (a.townshipId === b.townshipId ? cmp(a.schoolId, b.schoolId) : cmp(a.townshipId, b.townshipId)));
  const schoolIds = units.map((unit) => unit.schoolId);
  const tallies = new Units(units);
  const derived = request.recordedBy === null ? await derive(schoolIds) : null;
  const incidents = derived ? fromDerived(request, bounds, tallies, derived) : await fromFacts(db, bounds, seen, schoolIds, request.maxCarerLoad, tallies);

  for (const incident of incidents) {
    for (const tally of tallies.of(incident.schools)) {
      if (!incident.resolved) tally.incidents.open += 1;
      if (incident.at < bounds.from) continue;
      tally.incidents.count += 1;
      for (const [party, key] of INCIDENT_PARTIES) {
        const notifiedAt = incident.notified[party];
        if (notifiedAt !== undefined && notifiedAt - incident.at <= DEADLINES[party] * 60_000) tally.incidents.withinDeadline[key] += 1;
      }
    }
  }

  const schools = derived ? derived.schools : await schoolFigures(db, schoolIds, [request.asOf], recordedBy, from);
  for (const row of schools.get(request.asOf) ?? []) {
    for (const tally of tallies.of([row.schoolId])) {
      tally.pupils += row.pupils;
      tally.homes.homes += row.homes;
      tally.homes.activities += row.homeActivities;
      tally.returnedAfterDropout += row.returned;
    }
  }

  const figuresOf = (key: string) => (tallies.tallies.get(key) as Tally).figures();
  return {
    countyId: request.countyId,
    units,
    county: figuresOf('c'),
    townships: new Map(units.map((unit) => [unit.townshipId, figuresOf(`t:${unit.townshipId}`)])),
    schools: new Map(units.map((unit) => [unit.schoolId, figuresOf(`s:${unit.schoolId}`)])),
  };
}

const CADENCE = ['talk7d', 'contact30d', 'homeVisit92d', 'aidSemester', 'parentMeeting365d'] as const;

/** What the figures need of one child as of asOf. */
interface ChildView {
  readonly inCareAt: readonly string[];
  readonly category: string;
  readonly guardianType: string;
  readonly archiveComplete: boolean;
  readonly flagged: boolean;
  /** Carers of its active pairings, before retirements. */
  readonly carers: readonly string[];
  readonly covers: ReadonlySet<Cover>;
  /** Schools at which it was enrolled at some moment of the school year up to asOf. */
  readonly cohort: readonly string[];
  readonly droppedOutAt: number | null;
}

/** An incident reported by asOf, and the schools it counts at (where the child was enrolled then). */
interface IncidentView {
  readonly at: number;
  readonly resolved: boolean;
  readonly notified: Readonly<Record<string, number>>;
  readonly schools: readonly (string | null)[];
}

type IncidentRow = { childId: string; at: number; resolved: boolean; notified: Record<string, number>; schools?: string[] | null };

/** The exact path: every child's state folded from its facts as recorded by `recordedBy`, counted here. */
async function fromFacts(
  db: EntityManager,
  bounds: Bounds,
  seen: string[],
  schoolIds: string[],
  maxCarerLoad: number,
  tallies: Units,
): Promise<IncidentView[]> {
  const childIds = ((await db.query(CHILDREN_SQL, [schoolIds, ...seen])) as { child_id: string }[]).map((row) => row.child_id);
  const factsOf = await childStateFacts(db, childIds, seen[0], seen[1]);
  // Only activities whose window can reach the end of asOf: the latest of each kind, if any is.
  const termStart = Math.min(bounds.end - 365 * DAY_MS, bounds.schoolYear);
  const earliest = COVER_KINDS.map((kind) => new Date(earliestCovering(kind, bounds.end, termStart)).toISOString());
  const covers = new Map<string, Set<Cover>>();
  for (const row of (await db.query(CADENCE_SQL, [childIds, ...seen, COVER_KINDS, earliest])) as {
    childId: string;
    kind: string;
    at: number;
  }[]) {
    // The latest activity of a kind is the one whose window reaches furthest.
    const window = coverOf(row.kind, row.at);
    if (window === null || window.to < bounds.end) continue;
    const set = covers.get(row.childId) ?? new Set<Cover>();
    covers.set(row.childId, set.add(window.cover));
  }
  const children: ChildView[] = [];
  for (const [childId, facts] of factsOf) {
    const state = childStateAt(facts, bounds.end - 1, bounds.schoolYear);
    if (state === null) continue;
    children.push({
      ...state,
      carers: state.pairings.map((pairing) => pairing.carerId),
      covers: covers.get(childId) ?? new Set(),
      cohort: state.enrolledSince,
    });
  }

  const carerIds = new Set(children.flatMap((child) => child.carers));
  const carers = new Map(
    ((await db.query(CARERS_SQL, [[...carerIds], ...seen])) as { carerId: string; organisation: string | null; retired: boolean }[]).map((row) => [
      row.carerId,
      row,
    ]),
  );
  const isVolunteer = (carerId: string) => {
    const organisation = carers.get(carerId)?.organisation;
    return organisation != null && organisation !== 'school';
  };
  // Distinct per unit: the pairings of each carer, and the children served by care homes.
  const carerPairings = new Map<Tally, Map<string, number>>();
  const served = new Map<Tally, Set<string>>();
  const of = <T>(sets: Map<Tally, T>, tally: Tally, empty: () => T) => {
    if (!sets.has(tally)) sets.set(tally, empty());
    return sets.get(tally) as T;
  };

  for (const child of children) {
    const active = child.carers.filter((carerId) => carers.get(carerId)?.retired === false);
    const paired = active.length > 0;
    const has = (cover: Cover) => child.covers.has(cover);
    for (const tally of tallies.of(child.inCareAt)) {
      tally.childrenInCare += 1;
      if (child.category === 'left-behind') tally.leftBehindChildren += 1;
      if (child.archiveComplete) tally.archiveComplete += 1;
      tally.guardianshipByType[child.guardianType as GuardianType] += 1;
      if (has('familyContact30d')) tally.familyContact30d += 1;
      if (has('healthChecked')) tally.healthChecked += 1;
      if (child.flagged) {
        tally.keyAssistance.children += 1;
        if (paired) tally.keyAssistance.paired += 1;
      }
      if (!paired) continue;
      tally.paired += 1;
      const pairings = of(carerPairings, tally, () => new Map<string, number>());
      for (const carerId of active) pairings.set(carerId, (pairings.get(carerId) ?? 0) + 1);
      for (const cover of CADENCE) if (has(cover)) tally.careCadence[cover] += 1;
    }
    for (const tally of tallies.of(child.cohort)) {
      tally.dropout.cohort += 1;
      if (child.droppedOutAt !== null && child.droppedOutAt >= bounds.schoolYear) tally.dropout.droppedOut += 1;
    }
  }
  for (const [tally, pairings] of carerPairings) {
    const loads = [...pairings.values()];
    const volunteers = [...pairings].filter(([carerId]) => isVolunteer(carerId));
    tally.carerLoad = {
      carers: loads.length,
      pairings: loads.reduce((sum, n) => sum + n, 0),
      max: loads.reduce((max, n) => Math.max(max, n), 0),
      overLimit: loads.filter((n) => n > maxCarerLoad).length,
    };
    tally.volunteers.active = volunteers.length;
    tally.volunteers.pairings = volunteers.reduce((sum, [, n]) => sum + n, 0);
  }

  type ActivityRow = { schoolId: string; carerId: string | null; aid: boolean; n: number; yuan: string; served: string[] };
  const from = new Date(bounds.from).toISOString();
  for (const row of (await db.query(PERIOD_ACTIVITIES_SQL, [schoolIds, ...seen, from])) as ActivityRow[]) {
    for (const tally of tallies.of([row.schoolId])) {
      if (row.aid) {
        tally.aid.personTimes += row.n;
        tally.aid.yuan += Number(row.yuan);
      }
      const children = of(served, tally, () => new Set<string>());
      for (const childId of row.served) children.add(childId);
      if (row.carerId !== null && isVolunteer(row.carerId) && carerPairings.get(tally)?.has(row.carerId)) tally.volunteers.activities += row.n;
    }
  }
  for (const [tally, children] of served) tally.childrenServed = children.size;

  return ((await db.query(INCIDENTS_SQL, [childIds, ...seen])) as IncidentRow[]).map((incident) => {
    const then = childStateAt(factsOf.get(incident.childId) ?? [], incident.at, incident.at);
    return { ...incident, schools: then === null ? [] : then.enrolledAt.length > 0 ? then.enrolledAt : [then.lastSchool] };
  });
}

// Every registration before `$1` (the instant after the last as-of date) of the carers ever
// registered with an organisation other than the school (the others are never volunteers), in order.
const CARER_REGISTRATIONS_SQL = `
SELECT carer_id AS "carerId", ${EPOCH_MS('occurred_at')} AS at, organisation <> 'school' AS voluntary
  FROM carers WHERE occurred_at < $1::timestamptz AND carer_id IN (SELECT carer_id FROM carers WHERE organisation <> 'school')
 ORDER BY carer_id, occurred_at, global_position`;

// The first day after the whole months up to each date of `$1` (`m`: the date's own month's first
// day, or the next month's when the date ends its month): monthly rows cover the days before `m`.
// A statement of sums (see `sumsAsOf`) gives the monthly rows before the last date's `m` once:
// those before the first date's summed per key (`day` ''), the others with their `day`; then each
// date's daily ones after its whole months, summed per key, with `asOf`.
const WHOLE_MONTHS = `p AS (SELECT d, date_trunc('month', d + 1)::date AS m FROM unnest($1::date[]) AS p(d))`;
const monthRows = (columns: readonly string[], from: string, where: string) => `
SELECT NULL AS "asOf", '' AS day, key, ${columns.map((column) => `sum(${column})::${column === 'yuan' ? 'float8' : 'int'} AS ${column}`).join(', ')}
  FROM ${from} WHERE ${where} AND day < (SELECT min(p.m) FROM p) GROUP BY key
UNION ALL
SELECT NULL, day::text, key, ${columns.map((column) => (column === 'yuan' ? 'yuan::float8' : column)).join(', ')}
  FROM ${from} WHERE ${where} AND day >= (SELECT min(p.m) FROM p) AND day < (SELECT max(p.m) FROM p)`;

// The care activities of the period [$3, each as-of date of `$1`] per school of `$2` and carer of
// `$5` (`*`: of every carer), keyed `school\tcarer`: the monthly counts of the whole months within
// it (from $4, the first month starting in it) and the daily ones of its other days (those before
// $4 and those after the whole months). Each grain and run of days is read apart, so that each is
// a range of the table's key.
const COUNT_COLUMNS = ['activities', 'aid', 'yuan'] as const;
const PERIOD_COUNTS_SQL = `
WITH ${WHOLE_MONTHS}, s AS NOT MATERIALIZED (SELECT s.*, s.school_id || E'\t' || s.carer_id AS key FROM school_activity_days s)
${monthRows(COUNT_COLUMNS, 's', "carer_id = ANY($5) AND grain = 'm' AND day >= $4::date AND school_id = ANY($2)")}
UNION ALL
SELECT p.d::text, NULL, s.key, sum(s.activities)::int, sum(s.aid)::int, sum(s.yuan)::float8
  FROM p CROSS JOIN LATERAL (
    SELECT s.school_id || E'\t' || s.carer_id AS key, s.activities, s.aid, s.yuan FROM school_activity_days s
     WHERE s.carer_id = ANY($5) AND s.grain = 'd' AND s.day >= $3::date AND s.day < $4::date AND s.day <= p.d AND s.school_id = ANY($2)
    UNION ALL
    SELECT s.school_id || E'\t' || s.carer_id, s.activities, s.aid, s.yuan FROM school_activity_days s
     WHERE s.carer_id = ANY($5) AND s.grain = 'd' AND s.day >= greatest(p.m, $4::date) AND s.day <= p.d AND s.school_id = ANY($2)
  ) s
 GROUP BY 1, 3`;

// Per school of `$1` and child, the first activity at a care home in the period from $2 and before
// $3 (the instant after the last as-of date): a date's children served are those before its end.
const SERVED_SQL = `
SELECT a.school_id AS "schoolId", a.child_id AS "childId", ${EPOCH_MS('min(a.occurred_at)')} AS at
  FROM care_activities a
 WHERE a.school_id = ANY($1) AND a.occurred_at >= $2::timestamptz AND a.occurred_at < $3::timestamptz AND a.home_id IS NOT NULL
   AND NOT EXISTS (SELECT 1 FROM care_activity_voids v WHERE v.activity_id = a.activity_id AND v.child_id = a.child_id)
 GROUP BY 1, 2`;

// The per-child measures per key of schools touching the county's (`$2`), of the carers' keys or
// the others, each grain read apart (ranges of the table's key).
const contributionSums = (carer: boolean, columns: readonly string[]) => `
WITH ${WHOLE_MONTHS}
${monthRows(columns, 'unit_contributions', `carer = ${carer} AND grain = 'm' AND schools && $2::text[]`)}
UNION ALL
SELECT p.d::text, NULL, u.key, ${columns.map((column) => `sum(u.${column})::int`).join(', ')}
  FROM p CROSS JOIN LATERAL (
    SELECT * FROM unit_contributions u WHERE u.carer = ${carer} AND u.grain = 'd' AND u.day >= p.m AND u.day <= p.d AND u.schools && $2::text[] OFFSET 0
  ) u
 GROUP BY 1, 3`;
const STATE_MEASURES = MEASURES.filter((measure) => measure !== 'pairings');
const CONTRIBUTIONS_SQL = contributionSums(false, STATE_MEASURES);
// The same for the carers' keys: the active pairings per carer and schools.
const LOADS_SQL = contributionSums(true, ['pairings']);

/** The first day after the whole months up to a date: its month's first day, or the next month's when it ends its month. */
function wholeMonthsEnd(date: string): string {
  return countyDateOf(startOfDay(date) + DAY_MS).slice(0, 8) + '01';
}

/**
 * The sums per key as of each date (`asOfs`, ascending) of the measures `columns`: the monthly
 * rows read once and summed in order, date after date, plus each date's daily rows; keys whose
 * sums are all zero are left out. `sql` (a statement of sums) takes `asOfs` as `$1`, then `parameters`.
 */
async function sumsAsOf<M extends string>(
  db: EntityManager,
  sql: string,
  columns: readonly M[],
  asOfs: readonly string[],
  parameters: readonly unknown[],
): Promise<Map<string, ({ key: string } & Record<M, number>)[]>> {
  type Row = { key: string } & Record<M, number>;
  const rows = (await db.query(sql, [asOfs, ...parameters])) as (Row & { asOf: string | null; day: string | null })[];
  const months = rows.filter((row): row is Row & { asOf: null; day: string } => row.day !== null).sort((a, b) => cmp(a.day, b.day));
  const days = byAsOf(rows.filter((row): row is Row & { asOf: string; day: null } => row.asOf !== null));
  const running = new Map<string, number[]>();
  const add = (sums: Map<string, number[]>, row: Row) => {
    const sum = sums.get(row.key);
    if (sum) columns.forEach((column, i) => (sum[i] += row[column]));
    else sums.set(row.key, columns.map((column) => row[column]));
  };
  const out = new Map<string, Row[]>();
  let next = 0;
  for (const asOf of asOfs) {
    const end = wholeMonthsEnd(asOf);
    for (; next < months.length && months[next].day < end; next++) add(running, months[next]);
    // The last date may take the running sums themselves; the others a copy.
    const sums = asOf === asOfs[asOfs.length - 1] ? running : new Map([...running].map(([key, sum]) => [key, [...sum]]));
    for (const row of days.get(asOf) ?? []) add(sums, row);
    const rows: Row[] = [];
    for (const [key, sum] of sums) {
      if (sum.every((n) => n === 0)) continue;
      const row = { key } as Row;
      columns.forEach((column, i) => ((row as Record<M, number>)[column] = sum[i]));
      rows.push(row);
    }
    out.set(asOf, rows);
  }
  return out;
}

// Incidents reported before `$1` (the instant after the last as-of date) that occurred from $2 on
// or are still open at the first date's end (`$3`), with when they were first resolved and first
// notified to each party (epoch ms, whenever that was), and the schools where the child was enrolled then.
const DERIVED_INCIDENTS_SQL = `
SELECT ${EPOCH_MS('i.occurred_at')} AS at,
       (SELECT ${EPOCH_MS('min(r.occurred_at)')} FROM incident_resolutions r WHERE r.incident_id = i.incident_id AND r.child_id = i.child_id) AS "resolvedAt",
       (SELECT coalesce(json_object_agg(n.party, ${EPOCH_MS('n.occurred_at')}), '{}')
          FROM (SELECT party, min(occurred_at) AS occurred_at FROM incident_notifications n
                 WHERE n.incident_id = i.incident_id AND n.child_id = i.child_id GROUP BY party) n) AS notified,
       (SELECT CASE WHEN cardinality(s.enrolled) > 0 THEN s.enrolled ELSE ARRAY[s.last_school] END
          FROM child_states s WHERE s.child_id = i.child_id AND s.valid_from <= i.occurred_at AND i.occurred_at < s.valid_to) AS schools
  FROM incidents i
 WHERE i.occurred_at < $1::timestamptz
   AND (i.occurred_at >= $2::timestamptz OR NOT EXISTS (
         SELECT 1 FROM incident_resolutions r WHERE r.incident_id = i.incident_id AND r.child_id = i.child_id AND r.occurred_at < $3::timestamptz))`;

type DerivedIncident = { at: number; resolvedAt: number | null; notified: Record<string, number>; schools: string[] | null };

/** The first day of the month after the date's. */
function nextMonth(date: string): string {
  const [year, month] = [Number(date.slice(0, 4)), Number(date.slice(5, 7))];
  return month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
}

type Sums = Record<Measure, number>;
type Counts = { schoolId: string; carerId: string; activities: number; aid: number; yuan: number };

/** What the fast path reads for several as-of dates at once, per date. */
interface Derived {
  readonly sums: ReadonlyMap<string, ({ key: string } & Sums)[]>;
  readonly loads: ReadonlyMap<string, { key: string; pairings: number }[]>;
  readonly counts: ReadonlyMap<string, Counts[]>;
  /** The carers whose organisation is not the school, as registered by the date. */
  readonly voluntary: ReadonlyMap<string, ReadonlySet<string>>;
  /** The activities of those of them with an active pairing at the date. */
  readonly volunteerCounts: ReadonlyMap<string, Counts[]>;
  /** Per school and child, its first activity at a care home in the period (epoch ms), of every date. */
  readonly served: readonly { schoolId: string; childId: string; at: number }[];
  /** The incidents any date may count. */
  readonly incidents: readonly DerivedIncident[];
  readonly schools: ReadonlyMap<string, SchoolFigures[]>;
}

const byAsOf = <T extends { asOf: string }>(rows: readonly T[]) => {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const group = map.get(row.asOf);
    if (group) group.push(row);
    else map.set(row.asOf, [row]);
  }
  return map;
};

/** The contributions, carer loads and all carers' activity counts of the county's schools (`schoolIds`) as of each date. */
async function derivedAt(db: EntityManager, request: CountyFiguresRequest, dates: readonly string[], schoolIds: readonly string[]): Promise<Derived> {
  const asOfs = [...new Set(dates)].sort();
  const fullFrom = request.from.endsWith('-01') ? request.from : nextMonth(request.from);
  const period = async (carers: readonly string[]) => {
    const sums = await sumsAsOf(db, PERIOD_COUNTS_SQL, COUNT_COLUMNS, asOfs, [schoolIds, request.from, fullFrom, carers]);
    return new Map(
      [...sums].map(([asOf, rows]) => [asOf, rows.map(({ key, ...counts }) => ({ schoolId: key.slice(0, key.indexOf('\t')), carerId: key.slice(key.indexOf('\t') + 1), ...counts }))]),
    );
  };
  const loads = await sumsAsOf(db, LOADS_SQL, ['pairings'], asOfs, [schoolIds]);
  const endOf = (asOf: string) => startOfDay(asOf) + DAY_MS;
  const last = new Date(Math.max(...asOfs.map(endOf))).toISOString();
  const from = new Date(startOfDay(request.from)).toISOString();
  const registrations = (await db.query(CARER_REGISTRATIONS_SQL, [last])) as { carerId: string; at: number; voluntary: boolean }[];
  const voluntary = new Map<string, Set<string>>();
  const volunteers = new Set<string>();
  for (const asOf of asOfs) {
    // Each carer's organisation as of the date: its latest registration before the date's end.
    const [latest, end] = [new Map<string, boolean>(), endOf(asOf)];
    for (const row of registrations) if (row.at < end) latest.set(row.carerId, row.voluntary);
    const carers = new Set([...latest].filter(([, isVoluntary]) => isVoluntary).map(([carerId]) => carerId));
    voluntary.set(asOf, carers);
    for (const row of loads.get(asOf) ?? []) {
      const { carerId } = keyParts(row.key);
      if (carers.has(carerId as string)) volunteers.add(carerId as string);
    }
  }
  return {
    sums: await sumsAsOf(db, CONTRIBUTIONS_SQL, STATE_MEASURES, asOfs, [schoolIds]),
    loads,
    counts: await period([ALL_CARERS]),
    voluntary,
    volunteerCounts: await period([...volunteers]),
    served: (await db.query(SERVED_SQL, [schoolIds, from, last])) as { schoolId: string; childId: string; at: number }[],
    incidents: (await db.query(DERIVED_INCIDENTS_SQL, [last, from, new Date(endOf(asOfs[0])).toISOString()])) as DerivedIncident[],
    schools: await schoolFigures(db, schoolIds, asOfs, INFINITY, from),
  };
}

/** The fast path, for figures as recorded now: contributions and activity counts summed per key (`derived`), few rows per school and month. */
function fromDerived(request: CountyFiguresRequest, bounds: Bounds, tallies: Units, derived: Derived): IncidentView[] {
  for (const row of derived.sums.get(request.asOf) ?? []) {
    for (const tally of tallies.of(keyParts(row.key).schools)) {
      tally.childrenInCare += row.in_care;
      tally.leftBehindChildren += row.left_behind;
      tally.archiveComplete += row.archive_complete;
      tally.paired += row.paired;
      tally.keyAssistance.children += row.flagged;
      tally.keyAssistance.paired += row.flagged_paired;
      tally.careCadence.talk7d += row.talk7d;
      tally.careCadence.contact30d += row.contact30d;
      tally.careCadence.homeVisit92d += row.home_visit92d;
      tally.careCadence.aidSemester += row.aid_semester;
      tally.careCadence.parentMeeting365d += row.parent_meeting365d;
      tally.familyContact30d += row.family_contact30d;
      tally.healthChecked += row.health_checked;
      for (const type of GUARDIAN_TYPES) tally.guardianshipByType[type] += row[`guardian_${type.replace(/-/g, '_')}` as Measure];
      tally.dropout.cohort += row.cohort;
      tally.dropout.droppedOut += row.dropped_out;
    }
  }
  // Per unit, the active pairings of each carer.
  const loads = new Map<Tally, Map<string, number>>();
  for (const row of derived.loads.get(request.asOf) ?? []) {
    const { schools, carerId } = keyParts(row.key);
    for (const tally of tallies.of(schools)) {
      const pairings = loads.get(tally) ?? new Map<string, number>();
      loads.set(tally, pairings.set(carerId as string, (pairings.get(carerId as string) ?? 0) + row.pairings));
    }
  }
  const voluntary = derived.voluntary.get(request.asOf) ?? new Set<string>();
  for (const [tally, pairings] of loads) {
    const counts = [...pairings.values()];
    const active = [...pairings].filter(([carerId]) => voluntary.has(carerId));
    tally.carerLoad = {
      carers: counts.length,
      pairings: counts.reduce((sum, n) => sum + n, 0),
      max: counts.reduce((max, n) => Math.max(max, n), 0),
      overLimit: counts.filter((n) => n > request.maxCarerLoad).length,
    };
    tally.volunteers.active = active.length;
    tally.volunteers.pairings = active.reduce((sum, [, n]) => sum + n, 0);
  }

  for (const row of derived.counts.get(request.asOf) ?? []) {
    for (const tally of tallies.of([row.schoolId])) {
      tally.aid.personTimes += row.aid;
      tally.aid.yuan += row.yuan;
    }
  }
  for (const row of derived.volunteerCounts.get(request.asOf) ?? []) {
    if (!voluntary.has(row.carerId)) continue;
    for (const tally of tallies.of([row.schoolId])) if (loads.get(tally)?.has(row.carerId)) tally.volunteers.activities += row.activities;
  }
  const served = new Map<Tally, Set<string>>();
  for (const row of derived.served) {
    if (row.at >= bounds.end) continue;
    for (const tally of tallies.of([row.schoolId])) {
      const children = served.get(tally) ?? new Set<string>();
      served.set(tally, children.add(row.childId));
    }
  }
  for (const [tally, children] of served) tally.childrenServed = children.size;
  // Reported by asOf; resolved and notified by then; occurred in the period or still open.
  const views: IncidentView[] = [];
  for (const incident of derived.incidents) {
    if (incident.at >= bounds.end) continue;
    const resolved = incident.resolvedAt !== null && incident.resolvedAt < bounds.end;
    if (incident.at < bounds.from && resolved) continue;
    const notified = Object.fromEntries(Object.entries(incident.notified).filter(([, at]) => at < bounds.end));
    views.push({ at: incident.at, resolved, notified, schools: incident.schools ?? [] });
  }
  return views;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Month-end figures, in the order of the as-of dates given. Without `recordedBy`, the sums of
 * every date are read at once, for the schools registered by the last of them.
 */
export async function countyFiguresSeries(db: EntityManager, request: CountyFiguresRequest, asOfs: readonly string[]): Promise<CountyFigures[]> {
  const series: CountyFigures[] = [];
  let derived: Promise<Derived> | null = null;
  const latest = [...asOfs].sort().pop() ?? request.asOf;
  const derive = async () => {
    derived ??= (async () => {
      const end = new Date(startOfDay(latest) + DAY_MS).toISOString();
      const units = (await db.query(UNITS_SQL, [request.countyId, end, INFINITY])) as CountyUnit[];
      return derivedAt(
        db,
        request,
        asOfs,
        units.map((unit) => unit.schoolId),
      );
    })();
    return derived;
  };
  for (const asOf of asOfs) series.push(await figuresWith(db, { ...request, asOf }, derive));
  return series;
}

/** The `recordedAt` (ISO) of the newest event the read models hold, or null when they hold none. */
export async function dataAsOf(db: EntityManager): Promise<string | null> {
  const [row] = (await db.query('SELECT recorded_at FROM read_models_position')) as { recorded_at: Date | null }[];
  return row?.recorded_at ? row.recorded_at.toISOString() : null;
}

/**
 * The county a scope belongs to, by its schools' latest registrations; null when no school is
 * registered in it. Township ids are only unique within a county (DOMAIN.md names no wider
 * code): a township named in several counties is the one of `within` (the caller's county) when
 * that is one of them, and otherwise none, rather than any one of them.
 */
export async function countyOfScope(db: EntityManager, scope: Scope, within: string | null = null): Promise<string | null> {
  const rows = (await db.query(
    `SELECT DISTINCT county_id AS "countyId"
       FROM (SELECT DISTINCT ON (school_id) school_id, county_id, township_id FROM schools ORDER BY school_id, occurred_at DESC, global_position DESC) s
      WHERE ${scope.kind}_id = $1`,
    [scope.id],
  )) as { countyId: string }[];
  const counties = rows.map((row) => row.countyId);
  if (counties.length === 1) return counties[0];
  return within !== null && counties.includes(within) ? within : null;
}
