import type { Bus, BusMessage, ConsumeOptions, Consumer, DeliveredMessage, HandlerErrorListener } from '@lbc/messaging';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { expectEventually } from '../expect-eventually';

export interface BusUnderTest {
  readonly bus: Bus;
  /** A topic no other test uses, with at least 3 partitions. */
  newTopic(): Promise<string>;
}

export interface BusConformanceOptions {
  /** Opens the adapter for one test; it must report handler failures to `onHandlerError`. */
  readonly connect: (options: { onHandlerError: HandlerErrorListener }) => Promise<BusUnderTest>;
  /** How long eventual checks may take (Kafka: joining a group takes seconds). */
  readonly eventuallyMs: number;
}

interface Recording {
  readonly applied: DeliveredMessage[];
  readonly consumer: Consumer;
}

const KEYS = ['child-a', 'child-b', 'child-c', 'child-d'];

function message(key: string, n: number): BusMessage {
  return { key, value: Buffer.from(JSON.stringify({ key, n })), headers: { type: 'TestEvent', n: String(n) } };
}

/** `perKey` messages for each of KEYS, keys interleaved as a relay would see them. */
function interleaved(perKey: number, from = 0): BusMessage[] {
  return Array.from({ length: perKey }, (_, i) => KEYS.map((key) => message(key, from + i))).flat();
}

function numbersByKey(messages: readonly DeliveredMessage[]): Record<string, number[]> {
  const byKey: Record<string, number[]> = {};
  for (const { key, value } of messages) (byKey[key] ??= []).push((JSON.parse(value.toString()) as { n: number }).n);
  return byKey;
}

function positions(messages: readonly DeliveredMessage[]): string[] {
  return messages.map((m) => `${m.partition}:${m.offset}`).sort();
}

const range = (length: number, from = 0) => Array.from({ length }, (_, i) => from + i);

/**
 * What every `Bus` adapter promises: the port's semantics, run whole by each adapter's spec.
 */
export function busConformance({ connect, eventuallyMs }: BusConformanceOptions): void {
  const testTimeoutMs = eventuallyMs * 4;
  const failures: Parameters<HandlerErrorListener>[] = [];
  let bus: Bus;
  let newTopic: () => Promise<string>;
  const eventually = <T>(assertion: () => T | Promise<T>) => expectEventually(assertion, { timeoutMs: eventuallyMs });

  async function record(
    topic: string,
    options: Partial<Pick<ConsumeOptions, 'groupId' | 'resumeFrom'>> & { beforeApply?: (messages: readonly DeliveredMessage[]) => Promise<void> } = {},
  ): Promise<Recording> {
    const applied: DeliveredMessage[] = [];
    const consumer = await bus.consume({
      topic,
      groupId: options.groupId ?? `group-${randomUUID()}`,
      resumeFrom: options.resumeFrom ?? (async () => null),
      handleBatch: async ({ messages }) => {
        await options.beforeApply?.(messages);
        applied.push(...messages);
      },
    });
    return { applied, consumer };
  }

  /** `perKey` messages for each of KEYS in rounds of two, a little apart, as a relay publishes under load. */
  async function trickle(topic: string, perKey: number): Promise<void> {
    for (let from = 0; from < perKey; from += 2) {
      await bus.publish(topic, interleaved(2, from));
      await sleep(15);
    }
  }

  /** A handler that fails once, on the first batch holding message `n` of KEYS[0], each batch taking `delayMs`. */
  function failingOnceAt(n: number, delayMs = 0): (messages: readonly DeliveredMessage[]) => Promise<void> {
    let failed = false;
    return async (messages) => {
      await sleep(delayMs);
      if (!failed && messages.some((m) => m.key === KEYS[0] && m.headers.n === String(n))) {
        failed = true;
        throw new Error('the read model is unreachable');
      }
    };
  }

  beforeEach(async () => {
    failures.length = 0;
    ({ bus, newTopic } = await connect({ onHandlerError: (...failure) => failures.push(failure) }));
  });
  afterEach(() => bus.close());

  it(
    'delivers every message, in order per key, with its key, value and headers, also to a group that starts later',
    async () => {
      const topic = await newTopic();
      await bus.publish(topic, interleaved(10));
      const { applied } = await record(topic);
      for (let from = 10; from < 25; from += 5) await bus.publish(topic, interleaved(5, from));

      await eventually(() => expect(applied).toHaveLength(100));
      expect(numbersByKey(applied)).toEqual(Object.fromEntries(KEYS.map((key) => [key, range(25)])));
      for (const key of KEYS) expect(new Set(applied.filter((m) => m.key === key).map((m) => m.partition)).size).toBe(1);
      for (const m of applied) expect(m.headers).toEqual({ type: 'TestEvent', n: String((JSON.parse(m.value.toString()) as { n: number }).n) });
      const partitions = new Set(applied.map((m) => m.partition));
      for (const partition of partitions) {
        const offsets = applied.filter((m) => m.partition === partition).map((m) => BigInt(m.offset));
        expect(offsets.every((offset, i) => i === 0 || offset > offsets[i - 1])).toBe(true);
      }
    },
    testTimeoutMs,
  );

  it(
    'gives two groups each every message',
    async () => {
      const topic = await newTopic();
      const first = await record(topic);
      const second = await record(topic);
      await bus.publish(topic, interleaved(10));

      await eventually(() => expect(first.applied).toHaveLength(40));
      await eventually(() => expect(second.applied).toHaveLength(40));
      expect(positions(second.applied)).toEqual(positions(first.applied));
    },
    testTimeoutMs,
  );

  it(
    'resumes each partition right after the offset the consumer stored, and at the beginning without one',
    async () => {
      const topic = await newTopic();
      await bus.publish(topic, interleaved(10));
      const all = await record(topic);
      await eventually(() => expect(all.applied).toHaveLength(40));
      const resumedPartition = all.applied.find((m) => m.key === KEYS[1])?.partition ?? -1;
      const storedOffset = all.applied.filter((m) => m.partition === resumedPartition)[4].offset;
      // The other partitions have no stored offset and start at their beginning.
      expect(all.applied.some((m) => m.partition !== resumedPartition)).toBe(true);

      const resumed = await record(topic, { resumeFrom: async (partition) => (partition === resumedPartition ? storedOffset : null) });
      const later = all.applied.filter((m) => m.partition !== resumedPartition || BigInt(m.offset) > BigInt(storedOffset));
      await eventually(() => expect(positions(resumed.applied)).toEqual(positions(later)));
      // Nothing earlier trickles in afterwards: a message published now arrives after all of it.
      await bus.publish(topic, [message(KEYS[1], 99)]);
      await eventually(() => expect(resumed.applied).toHaveLength(later.length + 1));
      expect(numbersByKey(resumed.applied)[KEYS[1]].at(-1)).toBe(99);
    },
    testTimeoutMs,
  );

  it(
    "follows the group's own store when it is ahead of or behind the bus",
    async () => {
      const topic = await newTopic();
      const groupId = `group-${randomUUID()}`;
      const store = new Map<number, string>();
      const consumeWithStore = (topicName: string) =>
        record(topicName, {
          groupId,
          resumeFrom: async (partition) => store.get(partition) ?? null,
          beforeApply: async (messages) => {
            store.set(messages[0].partition, messages[messages.length - 1].offset);
          },
        });

      await bus.publish(topic, interleaved(5));
      const first = await consumeWithStore(topic);
      await eventually(() => expect(first.applied).toHaveLength(20));
      await first.consumer.stop();

      await bus.publish(topic, interleaved(3, 5));
      const second = await consumeWithStore(topic);
      await eventually(() => expect(second.applied).toHaveLength(12));
      expect(numbersByKey(second.applied)).toEqual(Object.fromEntries(KEYS.map((key) => [key, [5, 6, 7]])));
      await second.consumer.stop();

      // The store was rebuilt from nothing: the group reads everything again.
      store.clear();
      const third = await consumeWithStore(topic);
      await eventually(() => expect(third.applied).toHaveLength(32));
      expect(numbersByKey(third.applied)).toEqual(Object.fromEntries(KEYS.map((key) => [key, range(8)])));
    },
    testTimeoutMs,
  );

  it(
    'delivers a batch again after its handler failed, and reports the failure',
    async () => {
      const topic = await newTopic();
      const { applied } = await record(topic, { beforeApply: failingOnceAt(5) });
      for (let from = 0; from < 20; from += 5) await bus.publish(topic, interleaved(5, from));

      await eventually(() => expect(applied).toHaveLength(80));
      expect(numbersByKey(applied)).toEqual(Object.fromEntries(KEYS.map((key) => [key, range(20)])));
      expect(failures).toHaveLength(1);
      expect(failures[0][0]).toEqual(new Error('the read model is unreachable'));
      expect(failures[0][1]).toEqual(expect.objectContaining({ topic, attempt: 1 }));
    },
    testTimeoutMs,
  );

  it(
    'handles one batch of a partition at a time, in order, while later messages keep arriving',
    async () => {
      const topic = await newTopic();
      const inHand = new Set<number>();
      const overlaps: number[] = [];
      const { applied } = await record(topic, {
        beforeApply: async (messages) => {
          const { partition } = messages[0];
          if (inHand.has(partition)) overlaps.push(partition);
          inHand.add(partition);
          await sleep(40);
          inHand.delete(partition);
        },
      });
      await trickle(topic, 30);

      await eventually(() => expect(applied).toHaveLength(120));
      expect(overlaps).toEqual([]);
      expect(numbersByKey(applied)).toEqual(Object.fromEntries(KEYS.map((key) => [key, range(30)])));
    },
    testTimeoutMs,
  );

  it(
    'after a failed batch, applies nothing of what followed it until the failed batch is applied, and nothing twice',
    async () => {
      const topic = await newTopic();
      const { applied } = await record(topic, { beforeApply: failingOnceAt(6, 40) });
      await trickle(topic, 30);

      await eventually(() => expect(applied).toHaveLength(120));
      expect(failures).toHaveLength(1);
      expect(numbersByKey(applied)).toEqual(Object.fromEntries(KEYS.map((key) => [key, range(30)])));
      expect(new Set(positions(applied)).size).toBe(120);
    },
    testTimeoutMs,
  );

  it(
    'stops after the batch in hand is applied, and delivers nothing afterwards',
    async () => {
      const topic = await newTopic();
      await bus.publish(topic, [message(KEYS[0], 0)]);
      const events: string[] = [];
      const stopping = await record(topic, {
        beforeApply: async () => {
          events.push('batch started');
          // Long enough for a stop that did not wait to finish first.
          await new Promise((finish) => setTimeout(finish, 200));
          events.push('batch applied');
        },
      });
      await eventually(() => expect(events).toContain('batch started'));
      await stopping.consumer.stop();
      events.push('stopped');
      expect(events).toEqual(['batch started', 'batch applied', 'stopped']);

      await bus.publish(topic, interleaved(2, 1));
      const witness = await record(topic);
      await eventually(() => expect(witness.applied).toHaveLength(9));
      expect(stopping.applied).toHaveLength(1);
    },
    testTimeoutMs,
  );

  it(
    'closes: idempotently, and refuses work afterwards',
    async () => {
      const topic = await newTopic();
      const { applied } = await record(topic);
      await bus.publish(topic, [message(KEYS[0], 0)]);
      await eventually(() => expect(applied).toHaveLength(1));

      await bus.close();
      await bus.close();
      await expect(bus.publish(topic, [message(KEYS[0], 1)])).rejects.toThrow(/closed/);
      await expect(bus.consume({ topic, groupId: 'late', resumeFrom: async () => null, handleBatch: async () => undefined })).rejects.toThrow(/closed/);
    },
    testTimeoutMs,
  );
}
