import type { MigrationInterface, QueryRunner } from 'typeorm';
import { MEASURES } from '../statistics/child-contributions';
import { deriveAll } from '../statistics/derived-state';

// The per-child state measures summed per set of schools and county date (child-contributions.ts):
// each child's own changes (`child_contributions`, one list per child, to replace them when the
// child is derived again), and their sums (`unit_contributions`) per day and, so that a figure as
// of D reads a few rows per key, per month (`grain` 'm', `day` the month's first); a figure reads
// the carers' keys (`carer`) apart from the others. Care activities likewise per school, carer (''
// for none, '*' for all) and day or month (`school_activity_days`), moved by each new activity and
// each void as it is projected.

export class ReadModelUnitContributions1769000000000 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE child_contributions (child_id text PRIMARY KEY, changes json NOT NULL)`);
    await queryRunner.query(`CREATE TABLE unit_contributions (
      key text NOT NULL, carer boolean NOT NULL, grain text NOT NULL CHECK (grain IN ('d', 'm')), day date NOT NULL, schools text[] NOT NULL,
      ${MEASURES.map((measure) => `${measure} int NOT NULL`).join(', ')},
      PRIMARY KEY (carer, grain, day, key))`);
    await queryRunner.query(`CREATE TABLE school_activity_days (
      school_id text NOT NULL, carer_id text NOT NULL, grain text NOT NULL CHECK (grain IN ('d', 'm')), day date NOT NULL,
      activities int NOT NULL, aid int NOT NULL, yuan numeric NOT NULL, PRIMARY KEY (carer_id, grain, day, school_id))`);
    await queryRunner.query('CREATE INDEX care_activities_school_id_occurred_at_idx ON care_activities (school_id, occurred_at)');
    await queryRunner.query('CREATE INDEX care_activities_home_school_id_occurred_at_idx ON care_activities (school_id, occurred_at) WHERE home_id IS NOT NULL');
    // Read models projected before these tables existed: derive them from the facts held.
    await deriveAll(queryRunner.manager);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX care_activities_home_school_id_occurred_at_idx');
    await queryRunner.query('DROP INDEX care_activities_school_id_occurred_at_idx');
    await queryRunner.query('DROP TABLE school_activity_days');
    await queryRunner.query('DROP TABLE unit_contributions');
    await queryRunner.query('DROP TABLE child_contributions');
  }
}
