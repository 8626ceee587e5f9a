import type { EntityManager } from 'typeorm';

export interface RegisteredSchool {
  readonly schoolId: string;
  readonly countyId: string;
  readonly townshipId: string;
}

/** The school as registered (`SchoolRegistered`), or null when the read models hold no such school. */
export async function registeredSchool(db: EntityManager, schoolId: string): Promise<RegisteredSchool | null> {
  const [row] = (await db.query(
    `SELECT school_id AS "schoolId", county_id AS "countyId", township_id AS "townshipId"
       FROM schools WHERE school_id = $1 ORDER BY occurred_at, global_position LIMIT 1`,
    [schoolId],
  )) as RegisteredSchool[];
  return row ?? null;
}
