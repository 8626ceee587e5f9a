import { Client } from 'pg';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { TestDatabase } from '@lbc/testing';
import { createTestDatabase } from '@lbc/testing';
import { runMigrations } from './migrate';

class CreateTally1700000000001 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE TABLE tally (n int NOT NULL)');
    await queryRunner.query('INSERT INTO tally VALUES (1)');
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE tally');
  }
}

describe('runMigrations', () => {
  let db: TestDatabase;
  beforeEach(async () => (db = await createTestDatabase()));
  afterEach(() => db.drop());

  const tally = async () => {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      return (await client.query<{ n: number }>('SELECT n FROM tally')).rows;
    } finally {
      await client.end();
    }
  };

  it('applies each migration exactly once, also when several processes start at the same moment', async () => {
    await Promise.all([1, 2, 3].map(() => runMigrations(db.url, 'tally_migrations', [CreateTally1700000000001])));
    await runMigrations(db.url, 'tally_migrations', [CreateTally1700000000001]);
    expect(await tally()).toEqual([{ n: 1 }]);
  });
});
