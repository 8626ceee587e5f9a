import type { MigrationInterface, QueryRunner } from 'typeorm';

// Indexes no query reads, kept up to date on every projected event (care activities are most of
// them; each index cost PostgreSQL about 4 µs per row, measured). Lookups of an activity or a
// pairing by its own id also name the child, and a child has few of each, so the child's index
// serves them; figures by carer or by school reach activities through the children in care.
const UNUSED: Record<string, string> = {
  care_activities_carer_id_idx: 'care_activities (carer_id)',
  care_activities_activity_id_idx: 'care_activities (activity_id)',
  care_activities_school_id_occurred_at_idx: 'care_activities (school_id, occurred_at)',
  pairing_changes_carer_id_idx: 'pairing_changes (carer_id)',
  pairing_changes_pairing_id_idx: 'pairing_changes (pairing_id)',
};

export class ReadModelTrimIndexes1766000000000 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const index of Object.keys(UNUSED)) await queryRunner.query(`DROP INDEX ${index}`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const [index, on] of Object.entries(UNUSED)) await queryRunner.query(`CREATE INDEX ${index} ON ${on}`);
  }
}
