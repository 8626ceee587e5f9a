import type { Pool } from 'pg';
import type { TestDatabase } from '@lbc/testing';
import { createTestDatabase } from '@lbc/testing';
import { migratePersonalData } from '../postgres/postgres-personal-data-vault';
import type { LoggedAccess } from './access-log';
import { AccessLog, brokenAccessLink } from './access-log';

const entry = (reason: string) => ({ userId: 'u-1', role: 'auditor', countyId: 'c-1', subject: 'child-1', fields: ['name'], reason, requestId: 'r-1' });

describe('the access log', () => {
  let db: TestDatabase;
  let pool: Pool;

  beforeEach(async () => {
    db = await createTestDatabase();
    await migratePersonalData(db.url);
    pool = db.pool();
  });
  afterEach(() => db.drop());

  it('chains every entry onto the one before, also when readers record at once', async () => {
    const log = new AccessLog(pool);
    await Promise.all([
      ...Array.from({ length: 14 }, (_, i) => log.record(entry(`reason ${i}`))),
      log.recordAll(Array.from({ length: 6 }, (_, i) => entry(`a list's name ${i}`))),
    ]);
    const entries: LoggedAccess[] = [];
    for await (const page of log.all(7)) entries.push(...page);
    expect(entries.map((logged) => logged.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    entries.forEach((logged, i) => expect(brokenAccessLink(entries[i - 1], logged)).toBeNull());
    expect((await log.list({ limit: 3 })).map((logged) => logged.seq)).toEqual([19, 18, 17]);
    expect((await log.list({ limit: 3, before: 17, countyId: 'c-1' })).map((logged) => logged.seq)).toEqual([16, 15, 14]);
    expect(await log.list({ limit: 3, countyId: 'another' })).toEqual([]);
  });

  it('refuses to change, remove or truncate an entry', async () => {
    await new AccessLog(pool).record(entry('annual audit'));
    await expect(pool.query(`UPDATE personal_data_access_log SET reason = 'x'`)).rejects.toThrow('append-only');
    await expect(pool.query('DELETE FROM personal_data_access_log')).rejects.toThrow('append-only');
    await expect(pool.query('TRUNCATE personal_data_access_log')).rejects.toThrow('append-only');
  });
});
