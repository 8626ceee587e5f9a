import type { MigrationInterface, QueryRunner } from 'typeorm';
import { deriveAll } from '../statistics/derived-state';

// Per-child states over occurred time and the windows of care activities (see derived-state.ts).
// `valid_from` is exclusive and `valid_to` inclusive: the figures as of a date read the state
// whose range holds the instant after that date. Point lookups scan `valid_to` from the instant
// on (most states and covers of a child lie before it); maintenance goes by child.
export class ReadModelChildStates1768000000000 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE child_states (
      child_id text NOT NULL, valid_from timestamptz NOT NULL, valid_to timestamptz NOT NULL,
      in_care text[] NOT NULL, enrolled text[] NOT NULL, enrolled_in_year text[] NOT NULL, category text NOT NULL, guardian_type text NOT NULL,
      archive_complete boolean NOT NULL, flagged boolean NOT NULL, carers text[] NOT NULL,
      dropped_out_at timestamptz, last_school text)`);
    await queryRunner.query('CREATE INDEX child_states_child_id_idx ON child_states (child_id)');
    await queryRunner.query('CREATE INDEX child_states_valid_to_idx ON child_states (valid_to)');
    await queryRunner.query(`CREATE TABLE child_covers (
      child_id text NOT NULL, cover text NOT NULL, valid_from timestamptz NOT NULL, valid_to timestamptz NOT NULL)`);
    await queryRunner.query('CREATE INDEX child_covers_child_id_cover_idx ON child_covers (child_id, cover)');
    await queryRunner.query('CREATE INDEX child_covers_valid_to_idx ON child_covers (valid_to)');
    // Read models projected before these tables existed: derive them from the facts held.
    await deriveAll(queryRunner.manager, { contributions: false });
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE child_covers');
    await queryRunner.query('DROP TABLE child_states');
  }
}
