import { Client } from 'pg';
import { createTestDatabase } from './test-database';

describe('test databases', () => {
  it('are real, empty and separate', async () => {
    const a = await createTestDatabase();
    const b = await createTestDatabase();
    const client = new Client({ connectionString: a.url });
    await client.connect();
    await client.query('CREATE TABLE only_in_a (n int)');
    await client.end();
    const other = new Client({ connectionString: b.url });
    await other.connect();
    const { rows } = await other.query("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'only_in_a'");
    await other.end();
    await a.drop();
    await b.drop();
    expect(rows).toEqual([{ n: 0 }]);
  });
});
