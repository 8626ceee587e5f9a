import { expectEventually } from '@lbc/testing';
import { busConformance } from '@lbc/testing/conformance';
import { randomUUID } from 'node:crypto';
import type { DeliveredBatch } from '../bus.port';
import { InProcessBus } from './in-process-bus';
import { partitionOfKey } from './key-partition';
import { nextPublishOffset } from './publish-offsets';

describe('InProcessBus', () => {
  busConformance({
    connect: async ({ onHandlerError }) => ({
      bus: new InProcessBus({ partitions: 3, onHandlerError }),
      newTopic: async () => `topic-${randomUUID()}`,
    }),
    eventuallyMs: 5_000,
  });

  const message = (key: string) => ({ key, value: Buffer.from(key), headers: {} });
  const ignoreErrors = () => undefined;

  it('resolves publish only after every group on the topic has applied the messages', async () => {
    const bus = new InProcessBus({ partitions: 3, onHandlerError: ignoreErrors });
    const releases: (() => void)[] = [];
    for (const groupId of ['projector', 'audit']) {
      await bus.consume({
        topic: 'events',
        groupId,
        resumeFrom: async () => null,
        handleBatch: () => new Promise<void>((release) => releases.push(release)),
      });
    }
    let published = false;
    const publishing = bus.publish('events', [message('child-a')]).then(() => (published = true));
    await expectEventually(() => expect(releases).toHaveLength(2));
    releases[0]();
    // One turn of the event loop settles everything the first group's answer could set off.
    await new Promise((turn) => setImmediate(turn));
    expect(published).toBe(false);
    releases[1]();
    await publishing;
    expect(published).toBe(true);
    await bus.close();
  });

  it('rejects a publish whose messages a group stopped before applying', async () => {
    const bus = new InProcessBus({ partitions: 3, onHandlerError: ignoreErrors });
    const failing = await bus.consume({
      topic: 'events',
      groupId: 'projector',
      resumeFrom: async () => null,
      handleBatch: async () => {
        throw new Error('database down');
      },
    });
    const publishing = bus.publish('events', [message('child-a')]);
    await failing.stop();
    await expect(publishing).rejects.toThrow('Consumer group projector stopped before applying messages of events');
    await bus.close();
  });

  it('refuses a second consumer of one group on one topic, and a partition count that is not a positive integer', async () => {
    const bus = new InProcessBus({ partitions: 3 });
    const options = { topic: 'events', groupId: 'projector', resumeFrom: async () => null, handleBatch: async (_: DeliveredBatch) => undefined };
    await bus.consume(options);
    await expect(bus.consume(options)).rejects.toThrow('groupId: projector already consumes events on this bus');
    await bus.close();
    expect(() => new InProcessBus({ partitions: 0 })).toThrow('partitions: must be a positive integer, got 0');
  });

  it('numbers messages from the wall clock in microseconds, strictly increasing, so stored offsets survive a restart', () => {
    const before = BigInt(Date.now()) * 1000n;
    const offsets = Array.from({ length: 10_000 }, () => nextPublishOffset());
    expect(offsets[0]).toBeGreaterThanOrEqual(before);
    expect(offsets.every((offset, i) => i === 0 || offset > offsets[i - 1])).toBe(true);
  });

  it('keeps a key on one partition and spreads keys over all of them', () => {
    expect(partitionOfKey('child-a', 6)).toBe(partitionOfKey('child-a', 6));
    const used = new Set(Array.from({ length: 200 }, (_, i) => partitionOfKey(`child-${i}`, 6)));
    expect([...used].sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe('InProcessBus retention', () => {
  const message = (key: string) => ({ key, value: Buffer.from(key), headers: {} });

  it('keeps only the newest messages once every group applied them, and refuses to resume a group below them', async () => {
    const failures: unknown[] = [];
    const bus = new InProcessBus({ partitions: 1, retainPerPartition: 3, onHandlerError: (error) => failures.push(error) });
    const seen: string[] = [];
    await bus.consume({
      topic: 'events',
      groupId: 'projector',
      resumeFrom: async () => null,
      handleBatch: async (batch) => void seen.push(...batch.messages.map((m) => m.key)),
    });
    for (const key of ['a', 'b', 'c', 'd', 'e']) await bus.publish('events', [message(key)]);
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);

    // 'a' and 'b' are gone: a group starting from the beginning is refused, not fed a gap.
    const late: string[] = [];
    await bus.consume({
      topic: 'events',
      groupId: 'late',
      resumeFrom: async () => null,
      handleBatch: async (batch) => void late.push(...batch.messages.map((m) => m.key)),
    });
    await expectEventually(() => expect(String(failures[0])).toMatch(/late would resume events\[0\] after -1, but this in-process bus has discarded messages through \d+/));
    expect(late).toEqual([]);
    await bus.close();
  });
});
