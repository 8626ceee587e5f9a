import type { JSONEventData, RecordedEvent as StoredEvent } from '@eventstore/db-client';
import { newTestEvent, newTestStreamId } from '@lbc/testing';
import { describeEventStoreConformance } from '@lbc/testing/conformance';
import { chainEvents, contentDigest, GENESIS_HASH, verifyChain } from '../chain/chain';
import { START } from '../event-store.port';
import { createEventStoreDbEventStore } from './eventstoredb-event-store';
import { decideAppend, fromStoredEvent, toEventData, toReadPosition } from './eventstoredb-mapping';

// No EventStoreDB runs on the build machine: the adapter's conformance run needs one named here.
const url = process.env.EVENTSTORE_URL;
describeEventStoreConformance(
  'EventStoreDB',
  async () => {
    const store = createEventStoreDbEventStore({
      url: url ?? '',
      streamPrefixes: ['child-', 'school-', 'carer-'],
    });
    return { store, dispose: () => store.close() };
  },
  { skipReason: url ? undefined : 'EVENTSTORE_URL is unset, no EventStoreDB server to run against' },
);

function present<T>(value: T | null): T {
  if (value === null) throw new Error('mapped to null');
  return value;
}

function asStored(data: JSONEventData, streamId: string, revision: number, commit: bigint, prepare: bigint): StoredEvent {
  return {
    streamId,
    id: data.id,
    isJson: true,
    revision: BigInt(revision),
    type: data.type,
    created: new Date(),
    data: data.data,
    metadata: data.metadata,
    position: { commit, prepare },
  } as StoredEvent;
}

describe('EventStoreDB mapping', () => {
  const streamId = newTestStreamId();
  const sent = [newTestEvent(), newTestEvent()];
  const chained = chainEvents(streamId, sent, { revision: -1, hash: GENESIS_HASH }, '2025-03-14T01:31:00.000Z');
  const stored = chained.map((event, index) =>
    present(fromStoredEvent(asStored(toEventData(event) as JSONEventData, streamId, index, 1000n + BigInt(index), 1000n + BigInt(index)))),
  );

  it('stores the whole envelope and reads it back, hash chain intact', () => {
    expect(stored).toEqual(
      chained.map((event, index) => ({
        ...event,
        globalPosition: 1000 + index,
        checkpoint: expect.any(String),
      })),
    );
    expect(verifyChain(stored)).toEqual({ ok: true });
    expect(stored[1].checkpoint > stored[0].checkpoint).toBe(true);
    expect(toReadPosition(stored[1].checkpoint)).toEqual({
      commit: 1001n,
      prepare: 1001n,
    });
    expect(toReadPosition(START)).toBe('start');
  });

  it('leaves out system streams, events without a position and binary events', () => {
    const data = toEventData(chained[0]) as JSONEventData;
    expect(fromStoredEvent(asStored(data, '$stats-127.0.0.1:2113', 0, 1n, 1n))).toBeNull();
    expect(
      fromStoredEvent({
        ...asStored(data, streamId, 0, 1n, 1n),
        position: undefined,
      } as StoredEvent),
    ).toBeNull();
    expect(
      fromStoredEvent({
        ...asStored(data, streamId, 0, 1n, 1n),
        isJson: false,
      } as StoredEvent),
    ).toBeNull();
    expect(fromStoredEvent(undefined)).toBeNull();
  });

  describe('decides an append over the stream as read', () => {
    const events = stored;
    const digested = (list: typeof sent) =>
      list.map((event) => ({
        eventId: event.eventId,
        contentDigest: contentDigest(event),
      }));

    it('as a duplicate whatever the expected revision', () => {
      expect(decideAppend(events, digested(sent), 'no-stream')).toEqual({
        kind: 'duplicate',
        events,
      });
      expect(decideAppend(events, digested([sent[1]]), 0)).toEqual({
        kind: 'duplicate',
        events: [events[1]],
      });
    });

    it('as a conflict when content differs or only part was stored', () => {
      const changed = { ...sent[0], data: { other: true } };
      expect(decideAppend(events, digested([changed]), 1)).toEqual({
        kind: 'conflict',
        eventId: sent[0].eventId,
      });
      expect(decideAppend(events, digested([newTestEvent(), sent[1]]), 1)).toEqual({ kind: 'conflict', eventId: sent[1].eventId });
    });

    it('by the expected revision otherwise', () => {
      const fresh = digested([newTestEvent()]);
      expect(decideAppend(events, fresh, 'no-stream')).toEqual({
        kind: 'wrong-revision',
        actual: 1,
      });
      expect(decideAppend(events, fresh, 0)).toEqual({
        kind: 'wrong-revision',
        actual: 1,
      });
      expect(decideAppend([], fresh, 0)).toEqual({
        kind: 'wrong-revision',
        actual: null,
      });
      expect(decideAppend(events, fresh, 1)).toEqual({
        kind: 'append',
        head: { revision: 1, hash: events[1].hash },
      });
      expect(decideAppend(events, fresh, 'any')).toEqual({
        kind: 'append',
        head: { revision: 1, hash: events[1].hash },
      });
      expect(decideAppend([], fresh, 'no-stream')).toEqual({
        kind: 'append',
        head: { revision: -1, hash: GENESIS_HASH },
      });
    });
  });
});
