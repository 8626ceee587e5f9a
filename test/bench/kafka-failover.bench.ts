// The relay and projector on a real three-node Kafka cluster (KRaft, loopback) while the leader of
// a partition is killed (kill -9) mid-stream and restarted: how long the election took, the longest
// pause of the relay and of the projector, and append → visible lag p95 while the node was down.
import { kafkaErrorTypes } from '@lbc/messaging';
import { startKafkaCluster } from '@lbc/testing';
import { killLeaderUnderLoad, startStreamUnderTest } from '@lbc/event-stream/testing';
import type { Bench, BenchContext, BenchRow, Target } from './bench';

const RATE = Number(process.env.BENCH_FAILOVER_RATE ?? 100);

export const bench: Bench = {
  name: 'kafka-failover',
  async run(context: BenchContext): Promise<BenchRow[]> {
    const rows: BenchRow[] = [];
    const row = (name: string, value: number, unit: string, note?: string, target?: Target) => {
      rows.push({ bench: 'kafka-failover', case: name, value, unit, note, target });
      context.log(`${name}: ${value.toFixed(0)} ${unit}${note ? ` (${note})` : ''}`);
    };
    const databaseUrl = await context.createDatabase('kafka_failover');
    const cluster = await startKafkaCluster({ nodes: 3, heapMb: 320 });
    try {
      const stream = await startStreamUnderTest({ brokers: cluster.brokers, databaseUrl });
      try {
        const run = await killLeaderUnderLoad(cluster, stream, { databaseUrl, perSecond: RATE, beforeMs: 10_000, downMs: 10_000, afterMs: 10_000 });
        const note = `${RATE} events/s, replication 3, min.insync.replicas 2`;
        row('leader election after kill -9', run.electionMs, 'ms', `node ${run.killed} → ${run.elected}; broker.session.timeout.ms 9000`);
        row('longest relay pause', run.relayPauseMs, 'ms', note);
        row('longest projector pause', run.projectorPauseMs, 'ms', note);
        row('lag p95 during a leader kill', run.lagP95DuringKillMs, 'ms', `append → visible, events appended while the node was down`);
        row('lag p95 after its restart', run.lagP95AfterRestartMs, 'ms', 'from 3 s after the restart', { atMost: 1000 });
        const failures = stream.publishFailures.map((error) => kafkaErrorTypes(error)[0] ?? String(error).slice(0, 80));
        context.log(`relay publishes that failed and were sent again: ${failures.length} (${[...new Set(failures)].join('; ')})`);
      } finally {
        await stream.stop();
      }
    } finally {
      await cluster.stop();
    }
    return rows;
  },
};
