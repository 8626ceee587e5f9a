import { generateKeyPairSync } from 'node:crypto';
import type { EventStore } from '@lbc/event-store';
import { createPostgresEventStore } from '@lbc/event-store';
import { AccessLog, migratePersonalData } from '@lbc/personal-data';
import type { TestDatabase } from '@lbc/testing';
import { createTestDatabase, expectEventually, newTestEvent } from '@lbc/testing';
import { migrateAudit } from './audit.migrations';
import { MerkleLog } from './merkle-log';
import type { TreeBuilder } from './tree-builder';
import { startTreeBuilder } from './tree-builder';
import { TreeHeads } from './tree-heads';

const HOUR_MS = 60 * 60 * 1000;

describe('the tree builder', () => {
  let db: TestDatabase;
  let store: EventStore;
  let builder: TreeBuilder | undefined;

  beforeEach(async () => {
    db = await createTestDatabase();
    store = await createPostgresEventStore({ url: db.url });
    await migrateAudit(db.url);
    await migratePersonalData(db.url);
  });
  afterEach(async () => {
    await builder?.stop();
    await store.close();
    await db.drop();
  });

  it('follows the store into the tree and signs a head at least daily, also when nothing new was recorded', async () => {
    await store.append('child-a', [newTestEvent(), newTestEvent(), newTestEvent()], 'no-stream');
    let now = new Date('2026-03-01T08:00:00Z');
    const pool = db.pool();
    const log = new MerkleLog(pool);
    const heads = new TreeHeads(pool, log, new AccessLog(pool), { name: 'lbc.test', privateKey: generateKeyPairSync('ed25519').privateKey }, () => now);
    const errors: unknown[] = [];
    builder = await startTreeBuilder({ store, log, heads, onError: (error) => errors.push(error), checkEveryMs: 20 });
    const signed = async () => (await heads.list(10)).map(({ time }) => time).reverse();

    await expectEventually(async () => expect(await signed()).toEqual(['2026-03-01T08:00:00.000Z']));
    await expectEventually(async () => expect((await log.position()).treeSize).toBe(3));
    // Many checks later, within the day: no other head.
    now = new Date(now.getTime() + 23 * HOUR_MS);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await signed()).toEqual(['2026-03-01T08:00:00.000Z']);

    now = new Date(now.getTime() + HOUR_MS);
    await expectEventually(async () => expect(await signed()).toEqual(['2026-03-01T08:00:00.000Z', '2026-03-02T08:00:00.000Z']));
    const [latest] = await heads.list(1);
    expect(latest).toMatchObject({ treeSize: 3, rootHash: await log.root(3) });
    expect(errors).toEqual([]);
  });
});
