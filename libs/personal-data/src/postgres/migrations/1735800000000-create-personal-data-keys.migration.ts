import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreatePersonalDataKeys1735800000000 implements MigrationInterface {
  name = 'CreatePersonalDataKeys1735800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // One row per subject, for ever: after erasure the row stays as a tombstone without its key,
    // so that later personal data for the subject is refused rather than sealed under a new key.
    await queryRunner.query(`
      CREATE TABLE personal_data_keys (
        subject_id text PRIMARY KEY,
        key_version integer NOT NULL DEFAULT 1 CHECK (key_version > 0),
        master_key_id text,
        wrapped_key bytea,
        created_at timestamptz NOT NULL DEFAULT now(),
        erased_at timestamptz,
        CHECK ((erased_at IS NULL) = (wrapped_key IS NOT NULL)),
        CHECK ((wrapped_key IS NULL) = (master_key_id IS NULL))
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE personal_data_keys');
  }
}
