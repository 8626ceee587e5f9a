import type { MigrationInterface, QueryRunner } from 'typeorm';

// The school's children list filters by class. Nullable: rows projected before this migration
// have no class until the next rebuild (`npm run rebuild`) replays their events.
export class ReadModelClassName1765000000000 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE child_registrations ADD COLUMN class_name text');
    await queryRunner.query('ALTER TABLE archive_updates ADD COLUMN class_name text');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE archive_updates DROP COLUMN class_name');
    await queryRunner.query('ALTER TABLE child_registrations DROP COLUMN class_name');
  }
}
