import type { MigrationInterface, QueryRunner } from 'typeorm';

export class RelayCheckpoints1764000000001 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE relay_checkpoints (
      name text PRIMARY KEY, checkpoint text NOT NULL, updated_at timestamptz NOT NULL)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE relay_checkpoints');
  }
}
