import { Client } from 'pg';
import { expectEventually } from './expect-eventually';
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

  it('give pools that outlive PostgreSQL ending their idle connections, and end them on drop', async () => {
    const db = await createTestDatabase();
    const pool = db.pool({ max: 2 });
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const idle = await Promise.all([pool.connect(), pool.connect()]);
      for (const client of idle) client.release();
      const admin = new Client({ connectionString: db.url });
      await admin.connect();
      const { rows } = await admin.query(
        'SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
      );
      await admin.end();
      expect(rows).toEqual([{ ended: true }, { ended: true }]);
      await expectEventually(() => expect(pool.idleCount).toBe(0));

      expect((await pool.query<{ n: number }>('SELECT 1 AS n')).rows).toEqual([{ n: 1 }]);
      expect(warn).toHaveBeenCalledTimes(2);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('terminating connection due to administrator command'));
      await db.drop();
      expect(pool.ended).toBe(true);
      // The forced drop found no connection of the pool still open: nothing more was ended.
      expect(warn).toHaveBeenCalledTimes(2);
    } finally {
      warn.mockRestore();
    }
  });
});
