import type { Checkpoint, EventStore, RecordedEvent } from '@lbc/event-store';
import {
  EventIdConflictError,
  eventHash,
  GENESIS_HASH,
  InvalidEventError,
  verifyChain,
  WrongExpectedRevisionError,
} from '@lbc/event-store';
import { expectEventually } from '../expect-eventually';
import { newTestEvent, newTestStreamId } from './new-test-event';

export interface EventStoreUnderTest {
  readonly store: EventStore;
  dispose(): Promise<void>;
}

async function readAllPages(store: EventStore, after: Checkpoint, limit: number): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for (let position = after; ;) {
    const page = await store.readAll({ after: position, limit });
    if (page.length === 0) return events;
    expect(page.length).toBeLessThanOrEqual(limit);
    events.push(...page);
    position = page[page.length - 1].checkpoint;
  }
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

function expectStrictlyIncreasing(checkpoints: readonly Checkpoint[]): void {
  checkpoints.slice(1).forEach((checkpoint, index) => expect(checkpoint > checkpoints[index]).toBe(true));
}

/** Each event once, all-stream order strictly increasing, and within each stream revisions 0, 1, 2… in order. */
function expectEachOnceInStreamOrder(received: readonly RecordedEvent[], expectedCount: number): void {
  expect(new Set(received.map((event) => event.eventId)).size).toBe(received.length);
  expect(received).toHaveLength(expectedCount);
  const next = new Map<string, number>();
  for (const event of received) {
    expect(event.revision).toBe(next.get(event.streamId) ?? 0);
    next.set(event.streamId, event.revision + 1);
  }
  expectStrictlyIncreasing(received.map((event) => event.checkpoint));
}

/**
 * The behaviour every `EventStore` adapter must have. `create` is called once for the suite; tests
 * use streams of their own and read the all-stream from the head they found, so a store that
 * already holds events (a shared server) passes too. With `skipReason` every test is registered
 * and skipped, the reason in the suite's title, so a run shows what it did not check.
 */
export function describeEventStoreConformance(name: string, create: () => Promise<EventStoreUnderTest>, { skipReason }: { skipReason?: string } = {}): void {
  const title = `${name}: EventStore conformance`;
  (skipReason ? describe.skip : describe)(skipReason ? `${title} — ${skipReason}` : title, () => {
    let subject: EventStoreUnderTest | undefined;
    let store: EventStore;

    beforeAll(async () => {
      subject = await create();
      store = subject.store;
    });
    afterAll(() => subject?.dispose());

    it('appends and reads back the envelope', async () => {
      const streamId = newTestStreamId();
      const sent = [
        newTestEvent(),
        newTestEvent({
          type: 'RiskFlagged',
          data: { flag: 'safety', note: '留守 ✓' },
        }),
      ];
      const result = await store.append(streamId, sent, 'no-stream');
      expect(result.status).toBe('appended');
      expect(result.nextExpectedRevision).toBe(1);
      expect(result.events.map((event) => [event.streamId, event.revision])).toEqual([
        [streamId, 0],
        [streamId, 1],
      ]);
      result.events.forEach((event, index) => {
        expect(event).toMatchObject(sent[index]);
        expect(event.recordedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
      });
      expect(await store.readStream(streamId)).toEqual(result.events);
      expect(await store.readStream(newTestStreamId())).toEqual([]);
    });

    it('checks the expected revision: no-stream, exact, any; a mismatch tells the actual revision', async () => {
      const streamId = newTestStreamId();
      await store.append(streamId, [newTestEvent(), newTestEvent()], 'no-stream');

      const exists = await rejection(store.append(streamId, [newTestEvent()], 'no-stream'));
      expect(exists).toBeInstanceOf(WrongExpectedRevisionError);
      expect(exists).toMatchObject({
        streamId,
        expected: 'no-stream',
        actual: 1,
      });

      expect((await store.append(streamId, [newTestEvent()], 1)).nextExpectedRevision).toBe(2);
      expect(await rejection(store.append(streamId, [newTestEvent()], 1))).toMatchObject({ expected: 1, actual: 2 });
      expect((await store.append(streamId, [newTestEvent()], 'any')).nextExpectedRevision).toBe(3);
      expect((await store.append(newTestStreamId(), [newTestEvent()], 'any')).nextExpectedRevision).toBe(0);

      const missing = await rejection(store.append(newTestStreamId(), [newTestEvent()], 0));
      expect(missing).toBeInstanceOf(WrongExpectedRevisionError);
      expect(missing).toMatchObject({ actual: null });
      expect((await store.readStream(streamId)).map((event) => event.revision)).toEqual([0, 1, 2, 3]);
    });

    it('acknowledges a resent append as a duplicate, whatever the expected revision, and writes nothing', async () => {
      const streamId = newTestStreamId();
      const sent = [newTestEvent(), newTestEvent()];
      const first = await store.append(streamId, sent, 'no-stream');
      await store.append(streamId, [newTestEvent()], 1);

      const again = await store.append(streamId, sent, 'no-stream');
      expect(again).toEqual({
        status: 'duplicate',
        events: first.events,
        nextExpectedRevision: 1,
      });
      const viaOtherRequest = sent.map((event) => ({
        ...event,
        metadata: { ...event.metadata, correlationId: 'retry' },
      }));
      expect((await store.append(streamId, viaOtherRequest, 2)).status).toBe('duplicate');
      expect((await store.append(streamId, [sent[1]], 'any')).events).toEqual([first.events[1]]);
      expect(await store.readStream(streamId)).toHaveLength(3);
    });

    it('refuses an eventId stored with other content, and the whole append with it', async () => {
      const streamId = newTestStreamId();
      const original = newTestEvent();
      await store.append(streamId, [original], 'no-stream');

      const changed = await rejection(store.append(streamId, [{ ...original, data: { ...original.data, minutes: 45 } }], 0));
      expect(changed).toBeInstanceOf(EventIdConflictError);
      expect(changed).toMatchObject({ eventId: original.eventId });
      expect(await rejection(store.append(streamId, [newTestEvent(), original], 0))).toBeInstanceOf(EventIdConflictError);
      expect(await rejection(store.append(streamId, [{ ...original, occurredAt: '2025-03-15T09:30:00+08:00' }], 'any'))).toBeInstanceOf(
        EventIdConflictError,
      );
      expect(await store.readStream(streamId)).toHaveLength(1);
    });

    it('writes all events of an append or none', async () => {
      const streamId = newTestStreamId();
      const batch = [newTestEvent(), newTestEvent(), newTestEvent()];
      const result = await store.append(streamId, batch, 'no-stream');
      expect(result.events.map((event) => event.eventId)).toEqual(batch.map((event) => event.eventId));

      await rejection(store.append(streamId, [newTestEvent(), newTestEvent()], 0));
      const invalid = await rejection(store.append(streamId, [newTestEvent(), newTestEvent({ occurredAt: 'yesterday' })], 2));
      expect(invalid).toBeInstanceOf(InvalidEventError);
      expect(invalid).toMatchObject({ field: 'events[1].occurredAt' });
      expect(await rejection(store.append(streamId, [newTestEvent({ eventId: 'not-a-uuid' })], 2))).toMatchObject({
        field: 'events[0].eventId',
      });
      expect(await rejection(store.append(streamId, [], 2))).toMatchObject({
        field: 'events',
      });
      expect(await store.readStream(streamId)).toEqual(result.events);
    });

    it('reads a stream from a revision', async () => {
      const streamId = newTestStreamId();
      await store.append(streamId, [newTestEvent(), newTestEvent(), newTestEvent()], 'no-stream');
      await store.append(streamId, [newTestEvent(), newTestEvent()], 2);
      expect((await store.readStream(streamId, { fromRevision: 3 })).map((event) => event.revision)).toEqual([3, 4]);
      expect(await store.readStream(streamId, { fromRevision: 5 })).toEqual([]);
    });

    it('pages through the all-stream in commit order', async () => {
      const start = await store.headCheckpoint();
      const streams = [newTestStreamId('child'), newTestStreamId('school'), newTestStreamId('carer')];
      const appended: RecordedEvent[] = [];
      for (let round = 0; round < 3; round++) {
        for (const streamId of streams) {
          appended.push(
            ...(await store.append(streamId, [newTestEvent(), newTestEvent()], round === 0 ? 'no-stream' : round * 2 - 1)).events,
          );
        }
      }
      const ours = (await readAllPages(store, start, 4)).filter((event) => streams.includes(event.streamId));
      expect(ours).toEqual(appended);
      expectStrictlyIncreasing(ours.map((event) => event.checkpoint));
      expect(new Set(ours.map((event) => event.globalPosition)).size).toBe(ours.length);
    });

    it('links each stream into a hash chain that verifies across appends', async () => {
      const streamId = newTestStreamId();
      await store.append(streamId, [newTestEvent(), newTestEvent()], 'no-stream');
      await store.append(streamId, [newTestEvent()], 1);
      await store.append(streamId, [newTestEvent()], 'any');
      const events = await store.readStream(streamId);
      expect(events[0].prevHash).toBe(GENESIS_HASH);
      events.forEach((event, index) => {
        expect(event.hash).toMatch(/^[0-9a-f]{64}$/);
        expect(event.hash).toBe(eventHash(event));
        if (index > 0) expect(event.prevHash).toBe(events[index - 1].hash);
      });
      expect(verifyChain(events)).toEqual({ ok: true });
      expect(verifyChain(await store.readStream(streamId, { fromRevision: 2 }))).toEqual({ ok: true });
    });

    it('lets verifyChain name the first revision that was altered, removed or forged', async () => {
      const streamId = newTestStreamId();
      await store.append(streamId, [newTestEvent(), newTestEvent(), newTestEvent(), newTestEvent()], 'no-stream');
      const events = await store.readStream(streamId);

      const edited = events.map((event) => (event.revision === 2 ? { ...event, data: { ...event.data, minutes: 90 } } : event));
      expect(verifyChain(edited)).toMatchObject({ ok: false, revision: 2 });
      expect(verifyChain(events.filter((event) => event.revision !== 1))).toMatchObject({ ok: false, revision: 2 });
      const rehashed = { ...edited[2], hash: eventHash(edited[2]) };
      expect(verifyChain([events[0], events[1], rehashed, events[3]])).toMatchObject({ ok: false, revision: 3 });
      expect(
        verifyChain([
          {
            ...events[0],
            metadata: { ...events[0].metadata, recordedBy: 'someone-else' },
          },
        ]),
      ).toMatchObject({
        ok: false,
        revision: 0,
      });
    });

    it('subscribes: catches up, goes live, calls the handler one batch at a time, and stops', async () => {
      const start = await store.headCheckpoint();
      const streamId = newTestStreamId();
      await store.append(streamId, [newTestEvent(), newTestEvent(), newTestEvent()], 'no-stream');

      const received: RecordedEvent[] = [];
      let running = 0;
      let overlapped = false;
      let stopped = false;
      let calledAfterStop = false;
      const subscription = store.subscribeToAll({
        after: start,
        batchSize: 2,
        handle: async (events) => {
          running++;
          overlapped ||= running > 1;
          calledAfterStop ||= stopped;
          await new Promise((resolve) => setImmediate(resolve));
          received.push(...events.filter((event) => event.streamId === streamId));
          running--;
        },
      });
      await expectEventually(() => expect(received).toHaveLength(3));
      await store.append(streamId, [newTestEvent()], 2);
      await store.append(streamId, [newTestEvent()], 3);
      await expectEventually(() => expect(received.map((event) => event.revision)).toEqual([0, 1, 2, 3, 4]));
      expect(overlapped).toBe(false);

      await subscription.stop();
      stopped = true;
      await store.append(streamId, [newTestEvent()], 4);
      const later: RecordedEvent[] = [];
      const probe = store.subscribeToAll({
        after: received[4].checkpoint,
        handle: async (events) => void later.push(...events),
      });
      await expectEventually(() => expect(later.some((event) => event.streamId === streamId)).toBe(true));
      await probe.stop();
      expect(calledAfterStop).toBe(false);
      expect(received).toHaveLength(5);
    });

    it('reports the head checkpoint of the all-stream', async () => {
      const streamId = newTestStreamId();
      const { events } = await store.append(streamId, [newTestEvent()], 'no-stream');
      const head = await store.headCheckpoint();
      expect(head >= events[0].checkpoint).toBe(true);
      expect((await readAllPages(store, head, 100)).filter((event) => event.streamId === streamId)).toEqual([]);
    });

    it('lets exactly one of concurrent writers win a revision', async () => {
      const streamId = newTestStreamId();
      await store.append(streamId, [newTestEvent()], 'no-stream');
      const outcomes = await Promise.allSettled(Array.from({ length: 12 }, () => store.append(streamId, [newTestEvent()], 0)));
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected')
          expect(outcome.reason).toMatchObject({
            name: 'WrongExpectedRevisionError',
            actual: 1,
          });
      }

      await Promise.all(Array.from({ length: 12 }, () => store.append(streamId, [newTestEvent()], 'any')));
      const events = await store.readStream(streamId);
      expect(events.map((event) => event.revision)).toEqual(Array.from({ length: 14 }, (_, revision) => revision));
      expect(verifyChain(events)).toEqual({ ok: true });
    });

    it('delivers every event exactly once, in stream order, to a live subscriber under concurrent writers', async () => {
      const start = await store.headCheckpoint();
      const streams = Array.from({ length: 12 }, () => newTestStreamId());
      const received: RecordedEvent[] = [];
      const subscription = store.subscribeToAll({
        after: start,
        batchSize: 7,
        handle: async (events) => void received.push(...events.filter((event) => streams.includes(event.streamId))),
      });
      const writers = 8;
      const appendsPerWriter = 25;
      await Promise.all(
        Array.from({ length: writers }, async (_, writer) => {
          for (let n = 0; n < appendsPerWriter; n++) {
            const streamId = streams[(writer * 7 + n * 5) % streams.length];
            await store.append(streamId, n % 4 === 0 ? [newTestEvent(), newTestEvent()] : [newTestEvent()], 'any');
          }
        }),
      );
      const total = writers * appendsPerWriter + writers * Math.ceil(appendsPerWriter / 4);
      await expectEventually(() => expect(received.length).toBeGreaterThanOrEqual(total), { timeoutMs: 30_000 });
      await subscription.stop();
      expectEachOnceInStreamOrder(received, total);
      for (const streamId of streams)
        expect(verifyChain(await store.readStream(streamId))).toEqual({
          ok: true,
        });
    });
  });
}
