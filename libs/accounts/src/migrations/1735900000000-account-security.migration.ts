import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What keeps accounts honest across ingest replicas: a token version per user (a token names the
 * version it was signed for; disabling, rebinding or a new password moves it on), the append-only
 * log of account changes, and the login throttle's counters.
 */
export class AccountSecurity1735900000000 implements MigrationInterface {
  name = 'AccountSecurity1735900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE users ADD COLUMN token_version integer NOT NULL DEFAULT 0');
    await queryRunner.query(`
      CREATE TABLE account_changes (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL,
        actor_id uuid,
        actor_username text NOT NULL,
        user_id uuid NOT NULL,
        username text NOT NULL,
        county_id text NOT NULL,
        change text NOT NULL CHECK (change IN ('created', 'updated', 'password-changed')),
        details jsonb NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX account_changes_county ON account_changes (county_id, id)');
    // Append-only for every role that can reach the table, the owner included: a change, once recorded, stays.
    await queryRunner.query(`
      CREATE FUNCTION account_changes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'account_changes is append-only';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER account_changes_append_only BEFORE UPDATE OR DELETE ON account_changes
      FOR EACH ROW EXECUTE FUNCTION account_changes_append_only()`);
    await queryRunner.query(`
      CREATE TRIGGER account_changes_no_truncate BEFORE TRUNCATE ON account_changes
      FOR EACH STATEMENT EXECUTE FUNCTION account_changes_append_only()`);
    await queryRunner.query(`
      CREATE TABLE login_throttle (
        scope text NOT NULL CHECK (scope IN ('account', 'address')),
        key text NOT NULL,
        failures integer NOT NULL DEFAULT 0,
        last_failure_at timestamptz,
        blocked_until timestamptz,
        PRIMARY KEY (scope, key)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE login_throttle');
    await queryRunner.query('DROP TABLE account_changes');
    await queryRunner.query('DROP FUNCTION account_changes_append_only');
    await queryRunner.query('ALTER TABLE users DROP COLUMN token_version');
  }
}
