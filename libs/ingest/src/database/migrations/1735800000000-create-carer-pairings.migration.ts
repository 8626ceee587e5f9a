import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCarerPairings1735800000000 implements MigrationInterface {
  name = 'CreateCarerPairings1735800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE carer_pairings (
        child_id text NOT NULL,
        pairing_id text NOT NULL,
        carer_id text NOT NULL,
        PRIMARY KEY (child_id, pairing_id)
      )`);
    await queryRunner.query('CREATE INDEX carer_pairings_carer ON carer_pairings (carer_id)');
    // The child stream revision the rows reflect: a late writer never overwrites a newer fold.
    await queryRunner.query('CREATE TABLE carer_pairing_children (child_id text PRIMARY KEY, revision integer NOT NULL)');
    await queryRunner.query('CREATE TABLE carer_pairings_checkpoint (id boolean PRIMARY KEY DEFAULT true CHECK (id), checkpoint text NOT NULL)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE carer_pairings_checkpoint');
    await queryRunner.query('DROP TABLE carer_pairing_children');
    await queryRunner.query('DROP TABLE carer_pairings');
  }
}
