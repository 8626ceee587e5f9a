import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateUsers1735700000000 implements MigrationInterface {
  name = 'CreateUsers1735700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY,
        username text NOT NULL,
        password_hash text NOT NULL,
        role text NOT NULL CHECK (role IN ('school_staff', 'school_admin', 'county_education', 'county_youth_league', 'auditor', 'platform_admin')),
        school_id uuid,
        county_id text NOT NULL,
        disabled boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((role IN ('school_staff', 'school_admin')) = (school_id IS NOT NULL))
      )`);
    await queryRunner.query('CREATE UNIQUE INDEX users_username ON users (lower(username))');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE users');
  }
}
