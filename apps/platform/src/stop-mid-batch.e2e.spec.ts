import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createPostgresEventStore } from '@lbc/event-store';
import { rebuildReadModels } from '@lbc/event-stream';
import { rowCounts, snapshotReadModels } from '@lbc/event-stream/testing';
import { openReadModels } from '@lbc/read-models';
import { expectEventually } from '@lbc/testing';
import type { AppProcess, SpawnOptions } from '@lbc/testing';
import type { Session } from './testing/demo-platform';
import { childRegistered, embeddedDatabaseUrl, platformRuns, signIn } from './testing/demo-platform';

const CHILDREN_PER_BATCH = 150;
const POSTERS = 3;

interface Batch {
  readonly eventIds: string[];
  readonly sentAt: number;
  answeredAt?: number;
  status?: number;
  statuses?: string[];
}

/** A batch over many streams: each child registered and given a talk, so a batch cut short would show as some streams without the others. */
function batchOf(session: Session): { body: string; eventIds: string[] } {
  const events = Array.from({ length: CHILDREN_PER_BATCH }, (_, i) => {
    const childId = randomUUID();
    return [
      { eventId: randomUUID(), ...childRegistered(session, childId, `学生${i}`) },
      { eventId: randomUUID(), type: 'CareActivityRecorded', childId, occurredAt: '2025-09-03T10:00:00+08:00', data: { activityId: randomUUID(), kind: 'talk', minutes: 20 } },
    ];
  }).flat();
  return { body: events.map((event) => JSON.stringify(event)).join('\n'), eventIds: events.map((event) => event.eventId) };
}

const STOPS: [string, SpawnOptions, (platform: AppProcess) => void][] = [
  ['SIGTERM to the platform', {}, (platform) => platform.process.kill('SIGTERM')],
  // A terminal's Ctrl-C signals its whole foreground process group: started as `npm start` starts
  // it, the platform and its embedded PostgreSQL are in a group of their own, and only the platform
  // is told (else the server would shut down fast under the platform's orderly stop).
  [
    'Ctrl-C in the terminal of npm start',
    { ownProcessGroup: true, launcher: 'tools/own-process-group.js' },
    (platform) => process.kill(-(platform.process.pid ?? 0), 'SIGINT'),
  ],
];

describe.each(STOPS)('%s while a batch is being ingested', (_stop, spawnOptions, signal) => {
  const { start, dataDir } = platformRuns('stop', { DEMO_CHILDREN: '0' });

  it('loses no acknowledged event, stores no batch in part, and the read models catch up on the next start', async () => {
    const first = start(spawnOptions);
    const url = await first.listening('Platform');
    const session = await signIn(url, 'school.xinhua.staff');
    const batches: Batch[] = [];
    const post = async (): Promise<void> => {
      for (;;) {
        const { body, eventIds } = batchOf(session);
        const batch: Batch = { eventIds, sentAt: Date.now() };
        batches.push(batch);
        try {
          const response = await fetch(`${url}/api/v1/events`, { method: 'POST', headers: { ...session.headers, 'content-type': 'application/x-ndjson' }, body });
          const answer = (await response.json()) as { results?: { status: string }[] };
          Object.assign(batch, { status: response.status, statuses: answer.results?.map((result) => result.status), answeredAt: Date.now() });
        } catch {
          // Refused or cut: the server is going or gone.
          return;
        }
      }
    };
    const posting = Array.from({ length: POSTERS }, () => post());
    await expectEventually(() => expect(batches.filter((batch) => batch.status === 200).length).toBeGreaterThanOrEqual(POSTERS), { timeoutMs: 60_000 });
    const signalledAt = Date.now();
    signal(first);
    await Promise.all(posting);
    expect({ exit: await first.exited, crash: /.*(Unhandled 'error' event|terminating connection).*/.exec(first.output())?.[0] }).toEqual({ exit: 0 });
    // Signalled mid-batch: a batch was sent before the signal and was still being ingested.
    expect(batches.some((batch) => batch.sentAt < signalledAt && (batch.answeredAt === undefined || batch.answeredAt > signalledAt))).toBe(true);

    const url2 = await start().listening('Platform');
    const database = new Client({ connectionString: embeddedDatabaseUrl(dataDir(), 'postgres') });
    await database.connect();
    try {
      const { rows } = await database.query<{ event_id: string; copies: number }>('SELECT event_id::text, count(*)::int AS copies FROM event_store.events GROUP BY event_id');
      const stored = new Map(rows.map((row) => [row.event_id, row.copies]));
      const acknowledged = batches.filter((batch) => batch.status !== undefined && batch.status < 300);
      expect(acknowledged.length).toBeGreaterThanOrEqual(POSTERS);
      for (const batch of acknowledged) {
        expect(batch.statuses?.every((status) => status === 'accepted')).toBe(true);
        expect(batch.eventIds.map((id) => stored.get(id))).toEqual(batch.eventIds.map(() => 1));
      }
      // Whole or not at all, whether answered or cut off.
      const storedShare = batches.map((batch) => batch.eventIds.filter((id) => stored.has(id)).length / batch.eventIds.length);
      expect(storedShare.filter((share) => share > 0 && share < 1)).toEqual([]);

      // The projector, restarted, reaches every stored child; then the read models equal a rebuild from the events.
      const children = await database.query<{ count: number }>(`SELECT count(*)::int AS count FROM event_store.events WHERE type = 'ChildRegistered'`);
      await expectEventually(
        async () => {
          const response = await fetch(`${url2}/api/v1/read-models/children-in-care?scope=school:${session.schoolId}&asOf=2025-10-01`, { headers: session.headers });
          expect(((await response.json()) as { childrenInCare: number }).childrenInCare).toBe(children.rows[0].count);
        },
        { timeoutMs: 60_000 },
      );
      const readModels = await openReadModels(embeddedDatabaseUrl(dataDir(), 'postgres'));
      const store = await createPostgresEventStore({ url: embeddedDatabaseUrl(dataDir(), 'postgres') });
      try {
        const projected = await snapshotReadModels(readModels);
        expect(Object.values(rowCounts(projected)).reduce((sum, count) => sum + count, 0)).toBeGreaterThanOrEqual(stored.size);
        await rebuildReadModels({ store, databaseUrl: embeddedDatabaseUrl(dataDir(), 'postgres') });
        expect(await snapshotReadModels(readModels)).toEqual(projected);
      } finally {
        await store.close();
        await readModels.destroy();
      }
    } finally {
      await database.end();
    }
  }, 240_000);
});
