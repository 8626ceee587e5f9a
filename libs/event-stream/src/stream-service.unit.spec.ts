import type { KafkaBus, TopicReport } from '@lbc/messaging';
import type { StreamLogger } from './lag';
import { createCareEventsTopic } from './stream-service';

function recordingLogger(): StreamLogger & { lines: { level: string; details: object; message: string }[] } {
  const lines: { level: string; details: object; message: string }[] = [];
  const at = (level: string) => (details: object, message: string) => void lines.push({ level, details, message });
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}

const report = (shortfalls: string[]): TopicReport => ({
  topic: 'care-events', created: false, brokers: 3, partitions: 6, replicationFactor: 1, minInsyncReplicas: 1, shortfalls,
});

describe('createCareEventsTopic', () => {
  it('creates care-events with its partitions and the configured replication', async () => {
    const createTopic = jest.fn(async () => report([]));
    await createCareEventsTopic({ createTopic } as Pick<KafkaBus, 'createTopic'>, { replicationFactor: 3, minInsyncReplicas: 2 }, recordingLogger());
    expect(createTopic).toHaveBeenCalledWith('care-events', { partitions: 6, replicationFactor: 3, minInsyncReplicas: 2 });
  });

  it('says each shortfall of an existing topic at error level, once, and returns the report', async () => {
    const logger = recordingLogger();
    const shortfalls = ['topic care-events has 1 copy of a partition, configured 3: …', 'topic care-events has min.insync.replicas=1, configured 2: …'];
    const bus = { createTopic: async () => report(shortfalls) };
    expect(await createCareEventsTopic(bus, {}, logger)).toEqual(report(shortfalls));
    expect(logger.lines).toEqual(
      shortfalls.map((shortfall) => ({
        level: 'error',
        message: `kafka: ${shortfall}`,
        details: { topic: 'care-events', created: false, brokers: 3, partitions: 6, replicationFactor: 1, minInsyncReplicas: 1 },
      })),
    );
  });

  it('says nothing of a topic as configured', async () => {
    const logger = recordingLogger();
    await createCareEventsTopic({ createTopic: async () => report([]) }, {}, logger);
    expect(logger.lines).toEqual([]);
  });
});
