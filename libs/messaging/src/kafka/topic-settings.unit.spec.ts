import { topicSettingsFor, topicShortfalls } from './topic-settings';

describe('topicSettingsFor', () => {
  it.each([
    [1, 1, 1],
    [2, 2, 1],
    [3, 3, 2],
    [5, 3, 2],
  ])('on %i broker(s), unset settings give %i copies and min.insync.replicas=%i', (brokers, replicationFactor, minInsyncReplicas) => {
    expect(topicSettingsFor({ partitions: 6 }, brokers)).toEqual({ partitions: 6, replicationFactor, minInsyncReplicas });
  });

  it('keeps settings that are given, and derives min.insync.replicas from a given replication factor', () => {
    expect(topicSettingsFor({ partitions: 6, replicationFactor: 5, minInsyncReplicas: 3 }, 5)).toEqual({ partitions: 6, replicationFactor: 5, minInsyncReplicas: 3 });
    expect(topicSettingsFor({ partitions: 6, replicationFactor: 2 }, 5)).toEqual({ partitions: 6, replicationFactor: 2, minInsyncReplicas: 1 });
    expect(topicSettingsFor({ partitions: 6, replicationFactor: 4 }, 5)).toEqual({ partitions: 6, replicationFactor: 4, minInsyncReplicas: 2 });
  });

  it('refuses more copies than brokers, and an acknowledgement no write could get', () => {
    expect(() => topicSettingsFor({ partitions: 6, replicationFactor: 3 }, 1)).toThrow('replicationFactor: 3 copies need as many brokers, the cluster has 1');
    expect(() => topicSettingsFor({ partitions: 6, replicationFactor: 2, minInsyncReplicas: 3 }, 3)).toThrow(
      'minInsyncReplicas: 3 exceeds the replication factor 2',
    );
  });
});

describe('topicShortfalls', () => {
  const wanted = { partitions: 6, replicationFactor: 3, minInsyncReplicas: 2 };

  it('finds none in a topic as configured or stronger', () => {
    expect(topicShortfalls('care-events', wanted, { replicationFactor: 3, minInsyncReplicas: 2 })).toEqual([]);
    expect(topicShortfalls('care-events', wanted, { replicationFactor: 5, minInsyncReplicas: 3 })).toEqual([]);
  });

  it('names each setting a topic falls short of', () => {
    expect(topicShortfalls('care-events', wanted, { replicationFactor: 2, minInsyncReplicas: 2 })).toEqual([
      expect.stringMatching(/^topic care-events has 2 copies of a partition, configured 3: losing a broker can lose acknowledged events/),
    ]);
    expect(topicShortfalls('care-events', wanted, { replicationFactor: 1, minInsyncReplicas: 1 })).toEqual([
      expect.stringMatching(/^topic care-events has 1 copy of a partition, configured 3/),
      expect.stringMatching(/^topic care-events has min.insync.replicas=1, configured 2: .*min.insync.replicas=2\)$/),
    ]);
  });
});
