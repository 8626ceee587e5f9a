import type { MigrationInterface, QueryRunner } from 'typeorm';

// Tables are created unqualified: the connection's search_path names the schema, so the same
// migrations build the live schema and a rebuild's fresh one.
const FACT = `event_id uuid PRIMARY KEY, global_position bigint NOT NULL,
  occurred_at timestamptz NOT NULL, recorded_at timestamptz NOT NULL`;

const TABLES: Record<string, string> = {
  schools: `school_id text NOT NULL, name text NOT NULL, county_id text NOT NULL, county_name text NOT NULL,
    township_id text NOT NULL, township_name text NOT NULL, level text NOT NULL, boarding boolean NOT NULL`,
  enrollment_reports: `school_id text NOT NULL, term text NOT NULL, total_pupils integer NOT NULL`,
  care_homes: `school_id text NOT NULL, home_id text NOT NULL, name text NOT NULL, facilities text[] NOT NULL`,
  care_home_activities: `school_id text NOT NULL, home_id text NOT NULL, participants integer NOT NULL`,
  carers: `carer_id text NOT NULL, school_id text, organisation text NOT NULL, role text NOT NULL, party_member boolean NOT NULL`,
  carer_retirements: `carer_id text NOT NULL`,
  child_registrations: `child_id text NOT NULL, school_id text NOT NULL, grade integer NOT NULL, category text NOT NULL,
    parents_away text NOT NULL, guardian_type text NOT NULL, personal_fields text[] NOT NULL`,
  archive_updates: `child_id text NOT NULL, grade integer, parents_away text, personal_fields text[] NOT NULL`,
  guardianship_changes: `child_id text NOT NULL, guardian_type text NOT NULL, personal_fields text[] NOT NULL`,
  enrollment_changes: `child_id text NOT NULL, change text NOT NULL, school_id text NOT NULL, other_school_id text`,
  left_behind_status_changes: `child_id text NOT NULL, change text NOT NULL CHECK (change IN ('ended', 'resumed')),
    reason text, parents_away text`,
  risk_flag_changes: `child_id text NOT NULL, flag text NOT NULL, change text NOT NULL CHECK (change IN ('flagged', 'cleared'))`,
  pairing_changes: `child_id text NOT NULL, pairing_id text NOT NULL, change text NOT NULL CHECK (change IN ('started', 'ended')),
    carer_id text, role text`,
  care_activities: `child_id text NOT NULL, activity_id text NOT NULL, kind text NOT NULL, school_id text, carer_id text,
    minutes integer, amount_yuan numeric, home_id text`,
  care_activity_voids: `child_id text NOT NULL, activity_id text NOT NULL`,
  incidents: `child_id text NOT NULL, incident_id text NOT NULL, kind text NOT NULL, severity text NOT NULL`,
  incident_notifications: `child_id text NOT NULL, incident_id text NOT NULL, party text NOT NULL`,
  incident_resolutions: `child_id text NOT NULL, incident_id text NOT NULL, outcome text NOT NULL`,
};

// Scopes select by school (then by time); per-child lookups take the latest fact of a child
// (`occurred_at DESC, global_position DESC`); items are matched across events by their ids.
const INDEXES: Record<string, string[]> = {
  schools: ['school_id', 'county_id', 'township_id'],
  enrollment_reports: ['school_id, occurred_at'],
  care_homes: ['school_id'],
  care_home_activities: ['school_id, occurred_at'],
  carers: ['carer_id'],
  carer_retirements: ['carer_id'],
  child_registrations: ['school_id, occurred_at', 'child_id'],
  archive_updates: ['child_id, occurred_at DESC, global_position DESC'],
  guardianship_changes: ['child_id, occurred_at DESC, global_position DESC'],
  enrollment_changes: ['school_id, occurred_at', 'child_id, occurred_at DESC, global_position DESC'],
  left_behind_status_changes: ['child_id, occurred_at DESC, global_position DESC'],
  risk_flag_changes: ['child_id, occurred_at DESC, global_position DESC'],
  pairing_changes: ['child_id', 'carer_id', 'pairing_id'],
  care_activities: ['child_id, occurred_at', 'school_id, occurred_at', 'carer_id', 'activity_id'],
  care_activity_voids: ['activity_id'],
  incidents: ['child_id', 'incident_id', 'occurred_at'],
  incident_notifications: ['incident_id'],
  incident_resolutions: ['incident_id'],
};

const indexName = (table: string, columns: string) =>
  `${table}_${columns.replace(/ (DESC|ASC)/g, '').replace(/, /g, '_')}_idx`;

export class ReadModelFacts1764000000000 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const [table, columns] of Object.entries(TABLES)) {
      await queryRunner.query(`CREATE TABLE ${table} (${FACT}, ${columns})`);
      for (const indexed of INDEXES[table] ?? []) {
        await queryRunner.query(`CREATE INDEX ${indexName(table, indexed)} ON ${table} (${indexed})`);
      }
    }
    await queryRunner.query(`CREATE TABLE projector_offsets (
      topic text NOT NULL, partition integer NOT NULL, "offset" bigint NOT NULL, checkpoint text,
      updated_at timestamptz NOT NULL, PRIMARY KEY (topic, partition))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE projector_offsets');
    for (const table of Object.keys(TABLES).reverse()) await queryRunner.query(`DROP TABLE ${table}`);
  }
}
