import type { MigrationInterface, QueryRunner } from 'typeorm';

const FACT_TABLES = [
  'schools',
  'enrollment_reports',
  'care_homes',
  'care_home_activities',
  'carers',
  'carer_retirements',
  'child_registrations',
  'archive_updates',
  'guardianship_changes',
  'enrollment_changes',
  'left_behind_status_changes',
  'risk_flag_changes',
  'pairing_changes',
  'care_activities',
  'care_activity_voids',
  'incidents',
  'incident_notifications',
  'incident_resolutions',
];

// How fresh the read models are as a whole (INDICATORS.md `dataAsOf`): the newest `recorded_at`
// they hold, kept by every fact write, so no figure has to scan the fact tables to say it.
export class ReadModelsPosition1767000000000 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE read_models_position (
      one boolean PRIMARY KEY DEFAULT true CHECK (one), recorded_at timestamptz)`);
    const newest = FACT_TABLES.map((table) => `(SELECT max(recorded_at) FROM ${table})`).join(', ');
    await queryRunner.query(`INSERT INTO read_models_position (recorded_at) SELECT GREATEST(${newest})`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE read_models_position');
  }
}
