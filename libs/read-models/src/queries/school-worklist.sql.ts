import type { IncidentParty } from '@lbc/domain';
import { INCIDENT_PARTIES, NOTIFICATION_DEADLINE_MINUTES, endOfDay, toCountyIso } from '@lbc/domain';
import type { EntityManager } from 'typeorm';
import type { CareDuty } from './care-duties';
import { careDutyWindows } from './care-duties';
import type { ChildPage, ChildPageKey } from './child-page';
import { AFTER_CURSOR, PAGE_ORDER, pageOf, schoolPageParameters } from './child-page';
import type { SchoolChild } from './school-children.sql';
import { SCHOOL_CHILDREN_CTE } from './school-children.cte';
import { VISIBLE } from './scope';
import { ACTIVE_PAIRINGS_CTE, IN_CARE_CTES } from './who-counts.cte';

export interface SchoolWorklistRequest {
  readonly schoolId: string;
  /** County-local date `YYYY-MM-DD`: the duties as of the end of that day. */
  readonly asOf: string;
  /** The moment of asking (ISO-8601): a deadline later than it and than the end of `asOf` has not passed yet. */
  readonly now: string;
  readonly limit: number;
  readonly after: ChildPageKey | null;
}

export interface OverdueDuty {
  readonly duty: CareDuty;
  /** County-local ISO time of the last such activity, null if there never was one. */
  readonly lastDoneAt: string | null;
}

export interface MissingNotification {
  readonly party: IncidentParty;
  /** The incident's `occurredAt` plus the party's deadline (30, 60, 120, 120 minutes). */
  readonly deadline: string;
  readonly deadlinePassed: boolean;
}

export interface UnnotifiedIncident {
  readonly incidentId: string;
  readonly kind: string;
  readonly severity: string;
  readonly occurredAt: string;
  readonly resolved: boolean;
  readonly missing: readonly MissingNotification[];
}

/** A carer in an active pairing with the child: whose duties the overdue ones are. */
export interface PairedCarer {
  readonly carerId: string;
  readonly role: string;
}

/**
 * A child in care at the school with something to do: no active pairing (`paired` false), care
 * duties overdue (paired children only: the cadence is owed by the carers), or incidents with a
 * party not yet notified.
 */
export interface WorklistItem extends SchoolChild {
  /** The carers of the child's active pairings, the earliest paired first. */
  readonly carers: readonly PairedCarer[];
  readonly overdueDuties: readonly OverdueDuty[];
  readonly unnotifiedIncidents: readonly UnnotifiedIncident[];
}

const EPOCH_MS = (expression: string) => `floor(extract(epoch FROM ${expression}) * 1000)`;
const DEADLINE = `i.occurred_at + p.minutes * interval '1 minute'`;

// Parameters: $1–$7 `schoolPageParameters`; $8/$9 the duties and the instant their activity must
// follow; $10/$11 the parties and their deadlines in minutes; $12 the instant deadlines are
// judged at. A voided activity never counts, whenever the void occurred.
const SQL = `
WITH ${IN_CARE_CTES('school')}, ${ACTIVE_PAIRINGS_CTE}, ${SCHOOL_CHILDREN_CTE},
duties AS (SELECT * FROM unnest($8::text[], $9::timestamptz[]) WITH ORDINALITY AS d(duty, after, ord)),
overdue AS (
  SELECT s.child_id, json_agg(json_build_object('duty', d.duty, 'lastDoneAt', ${EPOCH_MS('last.at')}) ORDER BY d.ord) AS duties
    FROM school_children s
    CROSS JOIN duties d
    CROSS JOIN LATERAL (
      SELECT max(a.occurred_at) AS at
        FROM care_activities a
       WHERE a.child_id = s.child_id AND a.kind = d.duty AND ${VISIBLE('a')}
         AND NOT EXISTS (
               SELECT 1 FROM care_activity_voids v
                WHERE v.activity_id = a.activity_id AND v.child_id = a.child_id AND v.recorded_at <= $3::timestamptz)
    ) last
   WHERE s.paired AND (last.at IS NULL OR last.at <= d.after)
   GROUP BY s.child_id
),
parties AS (SELECT * FROM unnest($10::text[], $11::int[]) WITH ORDINALITY AS p(party, minutes, ord)),
missing AS (
  SELECT i.child_id, i.incident_id, i.kind, i.severity, i.occurred_at,
         EXISTS (
           SELECT 1 FROM incident_resolutions r WHERE r.incident_id = i.incident_id AND r.child_id = i.child_id AND ${VISIBLE('r')}
         ) AS resolved,
         json_agg(json_build_object('party', p.party, 'deadline', ${EPOCH_MS(DEADLINE)}, 'deadlinePassed', ${DEADLINE} < $12::timestamptz)
                  ORDER BY p.ord) AS parties
    FROM school_children s
    JOIN incidents i ON i.child_id = s.child_id AND ${VISIBLE('i')}
    CROSS JOIN parties p
   WHERE NOT EXISTS (
           SELECT 1 FROM incident_notifications n
            WHERE n.incident_id = i.incident_id AND n.child_id = i.child_id AND n.party = p.party AND ${VISIBLE('n')})
   GROUP BY i.child_id, i.incident_id, i.kind, i.severity, i.occurred_at
),
unnotified AS (
  SELECT child_id,
         json_agg(json_build_object('incidentId', incident_id, 'kind', kind, 'severity', severity, 'occurredAt', ${EPOCH_MS('occurred_at')},
                                    'resolved', resolved, 'missing', parties) ORDER BY occurred_at, incident_id) AS incidents
    FROM missing
   GROUP BY child_id
)
SELECT child_id AS "childId", grade, class_name AS "className", category, risk_flags AS "openRiskFlags", paired,
       coalesce((
         SELECT json_agg(json_build_object('carerId', a.carer_id, 'role', p.role) ORDER BY p.occurred_at, a.pairing_id)
           FROM active_pairings a
           JOIN pairing_changes p ON p.pairing_id = a.pairing_id AND p.child_id = a.child_id AND p.change = 'started' AND ${VISIBLE('p')}
          WHERE a.child_id = s.child_id), '[]') AS carers,
       coalesce(o.duties, '[]') AS "overdueDuties", coalesce(u.incidents, '[]') AS "unnotifiedIncidents"
  FROM school_children s
  LEFT JOIN overdue o USING (child_id)
  LEFT JOIN unnotified u USING (child_id)
 WHERE (NOT s.paired OR o.duties IS NOT NULL OR u.incidents IS NOT NULL) AND ${AFTER_CURSOR}
 ORDER BY ${PAGE_ORDER}
 LIMIT $7`;

interface Row extends SchoolChild {
  readonly carers: readonly PairedCarer[];
  readonly overdueDuties: readonly { readonly duty: CareDuty; readonly lastDoneAt: number | null }[];
  readonly unnotifiedIncidents: readonly (Omit<UnnotifiedIncident, 'occurredAt' | 'missing'> & {
    readonly occurredAt: number;
    readonly missing: readonly (Omit<MissingNotification, 'deadline'> & { readonly deadline: number })[];
  })[];
}

/**
 * The school's worklist as of a date: children in care without an active pairing, with care
 * duties (五个一) overdue, or with incidents a party has not been told of — one page.
 */
export async function schoolWorklist(db: EntityManager, request: SchoolWorklistRequest): Promise<ChildPage<WorklistItem>> {
  const { schoolId, asOf, limit, after } = request;
  const windows = careDutyWindows(asOf);
  const judgedAt = Math.min(endOfDay(asOf), Date.parse(request.now));
  const rows = (await db.query(SQL, [
    ...schoolPageParameters(schoolId, asOf, after, limit),
    windows.map((w) => w.duty),
    windows.map((w) => new Date(w.after).toISOString()),
    INCIDENT_PARTIES,
    INCIDENT_PARTIES.map((party) => NOTIFICATION_DEADLINE_MINUTES[party]),
    new Date(judgedAt).toISOString(),
  ])) as Row[];
  const page = pageOf(rows, limit);
  return {
    nextCursor: page.nextCursor,
    items: page.items.map((row) => ({
      ...row,
      overdueDuties: row.overdueDuties.map((d) => ({ duty: d.duty, lastDoneAt: d.lastDoneAt === null ? null : toCountyIso(d.lastDoneAt) })),
      unnotifiedIncidents: row.unnotifiedIncidents.map((i) => ({
        ...i,
        occurredAt: toCountyIso(i.occurredAt),
        missing: i.missing.map((m) => ({ ...m, deadline: toCountyIso(m.deadline) })),
      })),
    })),
  };
}
