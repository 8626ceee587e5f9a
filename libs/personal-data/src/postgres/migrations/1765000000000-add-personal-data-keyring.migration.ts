import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddPersonalDataKeyring1765000000000 implements MigrationInterface {
  name = 'AddPersonalDataKeyring1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Data keys are wrapped by key-encryption keys kept outside the database (KEY_DIR); a row names
    // its KEK, and an erased row names the KEK that wrapped its key until that KEK is destroyed.
    await queryRunner.query('ALTER TABLE personal_data_keys RENAME COLUMN master_key_id TO kek_id');
    await queryRunner.query('ALTER TABLE personal_data_keys ADD COLUMN erased_kek text');
    await queryRunner.query('CREATE INDEX personal_data_keys_erased_kek ON personal_data_keys (erased_kek) WHERE erased_kek IS NOT NULL');
    // The KEK that wraps new data keys. First seals read it FOR SHARE, so that a rotation's switch
    // waits for them and no key is wrapped by a KEK the rotation is about to destroy.
    await queryRunner.query(`
      CREATE TABLE personal_data_keyring (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        current_kek text NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE personal_data_keyring');
    await queryRunner.query('DROP INDEX personal_data_keys_erased_kek');
    await queryRunner.query('ALTER TABLE personal_data_keys DROP COLUMN erased_kek');
    await queryRunner.query('ALTER TABLE personal_data_keys RENAME COLUMN kek_id TO master_key_id');
  }
}
