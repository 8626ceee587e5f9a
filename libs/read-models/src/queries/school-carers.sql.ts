import type { EntityManager } from 'typeorm';
import type { IdPage } from './id-page';
import { idPageOf } from './id-page';
import { VISIBLE } from './scope';
import { ACTIVE_PAIRINGS_CTE, IN_CARE_CTES } from './who-counts.cte';

export interface SchoolRegisterRequest {
  readonly schoolId: string;
  /** County-local date `YYYY-MM-DD`: the list as of the end of that day. */
  readonly asOf: string;
  readonly limit: number;
  /** The last id of the previous page (`parseIdCursor`); null for the first page. */
  readonly after: string | null;
}

/** A carer of the school not retired, without personal data. */
export interface SchoolCarer {
  readonly carerId: string;
  readonly organisation: string;
  readonly role: string;
  readonly partyMember: boolean;
  /** Children in care at the school the carer is actively paired with: the load a pairing adds to. */
  readonly pairedChildren: number;
}

// $1–$3 as `IN_CARE_CTES` (school, asOf, no recorded-by cut-off); $4 the last id of the previous
// page, $5 the page size plus one.
const CARERS = `
WITH ${IN_CARE_CTES('school')}, ${ACTIVE_PAIRINGS_CTE}
SELECT c.carer_id AS "carerId", c.organisation, c.role, c.party_member AS "partyMember",
       (SELECT count(DISTINCT a.child_id)::int FROM active_pairings a WHERE a.carer_id = c.carer_id) AS "pairedChildren"
  FROM carers c
 WHERE c.school_id = $1 AND ${VISIBLE('c')}
   AND NOT EXISTS (SELECT 1 FROM carer_retirements x WHERE x.carer_id = c.carer_id AND ${VISIBLE('x')})
   AND ($4::text IS NULL OR c.carer_id > $4::text)
 ORDER BY c.carer_id
 LIMIT $5`;

/** The school's carers as of a date, retired ones left out, in id order — one page. */
export async function schoolCarers(db: EntityManager, { schoolId, asOf, limit, after }: SchoolRegisterRequest): Promise<IdPage<SchoolCarer>> {
  const rows = (await db.query(CARERS, [schoolId, asOf, 'infinity', after, limit + 1])) as SchoolCarer[];
  return idPageOf(rows, limit, (row) => row.carerId);
}

/** A care home (留守儿童之家) the school opened, with its "six ones" facilities. */
export interface SchoolCareHome {
  readonly homeId: string;
  readonly name: string;
  readonly facilities: readonly string[];
}

const CARE_HOMES = `
SELECT h.home_id AS "homeId", h.name, h.facilities
  FROM care_homes h
 WHERE h.school_id = $1 AND ${VISIBLE('h')} AND ($4::text IS NULL OR h.home_id > $4::text)
 ORDER BY h.home_id
 LIMIT $5`;

/** The school's care homes opened by a date, in id order — one page. */
export async function schoolCareHomes(db: EntityManager, { schoolId, asOf, limit, after }: SchoolRegisterRequest): Promise<IdPage<SchoolCareHome>> {
  const rows = (await db.query(CARE_HOMES, [schoolId, asOf, 'infinity', after, limit + 1])) as SchoolCareHome[];
  return idPageOf(rows, limit, (row) => row.homeId);
}
