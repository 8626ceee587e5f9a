import type { MigrationInterface, QueryRunner } from 'typeorm';

// The children a school's care homes served in a period (county figures, `careHomes.childrenServed`)
// are read from the index of activities at a care home alone: it carries the child and the
// activity (for the void check), so the table's rows are not visited. Few activities are at a
// care home, so the projector's upkeep of the wider entries is small.
export class ReadModelServedIndex1770000000000 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX care_activities_home_school_id_occurred_at_idx');
    await queryRunner.query(
      'CREATE INDEX care_activities_home_school_id_occurred_at_idx ON care_activities (school_id, occurred_at) INCLUDE (child_id, activity_id) WHERE home_id IS NOT NULL',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX care_activities_home_school_id_occurred_at_idx');
    await queryRunner.query('CREATE INDEX care_activities_home_school_id_occurred_at_idx ON care_activities (school_id, occurred_at) WHERE home_id IS NOT NULL');
  }
}
