import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Every read of personal data, by any role: who, when, which subject, which fields and why. Each
 * entry carries the hash of the one before (as the streams do), so a removed or altered entry
 * breaks the chain that `verify` walks; `seq` has no gaps, and signed tree heads record the last
 * entry's hash, so a cut tail shows too. Append-only: a trigger refuses UPDATE, DELETE and TRUNCATE.
 */
export class CreatePersonalDataAccessLog1769000000000 implements MigrationInterface {
  name = 'CreatePersonalDataAccessLog1769000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE personal_data_access_log (
        seq bigint PRIMARY KEY CHECK (seq >= 0),
        at timestamptz NOT NULL,
        user_id text NOT NULL,
        role text NOT NULL,
        county_id text,
        subject text NOT NULL,
        fields text[] NOT NULL,
        reason text NOT NULL,
        request_id text,
        prev_hash text NOT NULL,
        hash text NOT NULL
      )`);
    await runner.query('CREATE INDEX personal_data_access_log_subject ON personal_data_access_log (subject, seq)');
    await runner.query('CREATE INDEX personal_data_access_log_county ON personal_data_access_log (county_id, seq)');
    await runner.query(`
      CREATE FUNCTION personal_data_access_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'personal_data_access_log is append-only';
      END $$`);
    await runner.query(`CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON personal_data_access_log
                        FOR EACH ROW EXECUTE FUNCTION personal_data_access_log_refuse_change()`);
    await runner.query(`CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON personal_data_access_log
                        FOR EACH STATEMENT EXECUTE FUNCTION personal_data_access_log_refuse_change()`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE personal_data_access_log');
    await runner.query('DROP FUNCTION personal_data_access_log_refuse_change()');
  }
}
