import type { RecordedEvent } from '../event-store.port';
import { chainEvents, contentDigest, eventHash, GENESIS_HASH, verifyChain } from './chain';

const sent = {
  eventId: '0b6c8a55-1f7e-4c1e-9d61-3f2a0c9e7b10',
  type: 'CareActivityRecorded',
  schemaVersion: 1,
  occurredAt: '2025-03-14T09:30:00+08:00',
  data: { kind: 'talk', minutes: 20, activityId: 'a-1' },
  metadata: {
    recordedBy: 'user-1',
    schoolId: 'school-1',
    countyId: null,
    correlationId: 'c-1',
    causationId: null,
  },
};

describe('hash chain', () => {
  // Vectors computed outside JavaScript (sorted, compact JSON equals RFC 8785 for these values):
  // an auditor's own tool must arrive at the same hashes.
  it('hashes the canonical envelope', () => {
    const [event] = chainEvents('child-1', [sent], { revision: -1, hash: GENESIS_HASH }, '2025-03-14T01:31:00.000Z');
    expect(event).toMatchObject({
      streamId: 'child-1',
      revision: 0,
      prevHash: GENESIS_HASH,
    });
    expect(event.hash).toBe('f4c7fe0da68ecebbf59d25cc52d292d1371b70baec45108e42f5114417e74172');
    expect(contentDigest(sent)).toBe('9f2a9316c23f58a351fa7d56eb8519624a7bde392e9e4f48e5b38e15fa160a6f');
  });

  it('ignores key order and what the sender does not control in the content digest', () => {
    const reordered = {
      ...sent,
      data: { activityId: 'a-1', minutes: 20, kind: 'talk' },
      metadata: { ...sent.metadata, correlationId: 'c-2' },
    };
    expect(contentDigest(reordered)).toBe(contentDigest(sent));
    expect(contentDigest({ ...sent, occurredAt: '2025-03-14T09:31:00+08:00' })).not.toBe(contentDigest(sent));
  });

  it('verifies a chain and names the first broken revision', () => {
    const chained = chainEvents(
      'child-1',
      [sent, { ...sent, eventId: 'e2' }, { ...sent, eventId: 'e3' }],
      { revision: -1, hash: GENESIS_HASH },
      '2025-03-14T01:31:00.000Z',
    );
    const events: RecordedEvent[] = chained.map((event, index) => ({
      ...event,
      globalPosition: index + 1,
      checkpoint: `${index}` as RecordedEvent['checkpoint'],
    }));
    expect(verifyChain(events)).toEqual({ ok: true });
    expect(verifyChain([events[0], events[2]])).toMatchObject({
      ok: false,
      revision: 2,
    });
    expect(verifyChain([events[1], events[0]])).toMatchObject({
      ok: false,
      revision: 0,
    });
    expect(
      verifyChain([
        {
          ...events[0],
          prevHash: events[2].hash,
          hash: eventHash({ ...events[0], prevHash: events[2].hash }),
        },
      ]),
    ).toMatchObject({ ok: false, revision: 0 });
    expect(verifyChain([events[0], { ...events[1], streamId: 'child-2' }])).toMatchObject({ ok: false, revision: 1 });
  });
});
