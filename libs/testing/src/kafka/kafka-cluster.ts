import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { fetchKafkaJars, formatStorage, freePorts, kafkaNodeProcess, kafkaUuid, portsOf, serverProperties } from './kafka-node';
import type { KafkaNodeProcess, NodePorts } from './kafka-node';

export interface KafkaClusterOptions {
  /** Combined broker-controller nodes, ids 1…nodes, all of them voters of the metadata quorum. */
  readonly nodes: number;
  /** Where the nodes keep their data (`node-<id>/`); kept on stop. Default: a temporary folder, removed on stop. */
  readonly dataDir?: string;
  /** Client port of node 1 for a new data folder; the others take the ports after it. Default: free ones. */
  readonly firstPort?: number;
  /** Heap of each node's JVM. */
  readonly heapMb?: number;
}

export interface KafkaCluster {
  /** Bootstrap addresses of every node (`host:port`), node 1 first. */
  readonly brokers: string[];
  readonly dataDir: string;
  /** The client address of a node. */
  brokerOf(nodeId: number): string;
  /** Stops one node: SIGKILL as a crash would (no controlled shutdown), SIGTERM as an orderly stop. */
  kill(nodeId: number, signal?: 'SIGKILL' | 'SIGTERM'): Promise<void>;
  /** Starts a stopped node again on its ports and data, and waits until it serves. */
  restart(nodeId: number): Promise<void>;
  /** The node id leading a partition now, -1 while it has none. */
  leaderOf(topic: string, partition: number): Promise<number>;
  /** Stops every node still running (SIGTERM). */
  stop(): Promise<void>;
}

interface ClusterNode {
  readonly nodeId: number;
  /** Read from its properties, or chosen when the cluster is formatted. */
  ports: NodePorts;
  readonly propertiesFile: string;
  readonly logFile: string;
}

const QUORUM_FILE = 'initial-controllers';

/**
 * A cluster of real Kafka nodes on loopback, each its own JVM: every node is broker and
 * controller, and the first start formats them for a quorum of all of them (KRaft,
 * `--initial-controllers`).
 */
export async function startKafkaCluster(options: KafkaClusterOptions): Promise<KafkaCluster> {
  if (!Number.isInteger(options.nodes) || options.nodes < 1) throw new Error(`nodes: ${options.nodes} is not a positive integer`);
  await fetchKafkaJars();
  const temporary = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'lbc-kafka-cluster-'));
  mkdirSync(dataDir, { recursive: true });
  const heapMb = options.heapMb ?? 384;
  const ids = Array.from({ length: options.nodes }, (_, i) => i + 1);
  const nodes: ClusterNode[] = ids.map((nodeId) => {
    const nodeDir = join(dataDir, `node-${nodeId}`);
    mkdirSync(nodeDir, { recursive: true });
    const propertiesFile = join(nodeDir, 'server.properties');
    return { nodeId, ports: existsSync(propertiesFile) ? portsOf(propertiesFile) : { client: 0, controller: 0 }, propertiesFile, logFile: join(nodeDir, 'broker.log') };
  });
  const quorumFile = join(dataDir, QUORUM_FILE);
  const formatted = existsSync(quorumFile);
  if (formatted && nodes.some((node) => node.ports.client === 0)) throw new Error(`${dataDir} was formatted for another number of nodes`);
  if (!formatted) await formatCluster(nodes, options.firstPort, heapMb, quorumFile);

  const processes = new Map<number, KafkaNodeProcess>(
    nodes.map((node) => [node.nodeId, kafkaNodeProcess({ nodeId: node.nodeId, propertiesFile: node.propertiesFile, logFile: node.logFile, heapMb, everyPartitionLed: false })]),
  );
  const address = (node: ClusterNode) => `127.0.0.1:${node.ports.client}`;
  const brokers = nodes.map(address);
  const nodeOf = (nodeId: number) => {
    const node = nodes.find((candidate) => candidate.nodeId === nodeId);
    if (!node) throw new Error(`no node ${nodeId} in a cluster of ${nodes.length}`);
    return node;
  };
  const live = () => nodes.filter((node) => processes.get(node.nodeId)?.running).map(address);
  const stopAll = () => Promise.all([...processes.values()].map((node) => node.stop()));

  try {
    // A node serves only once a majority of the quorum runs: start them together.
    await Promise.all(nodes.map((node) => processes.get(node.nodeId)?.start([address(node)])));
  } catch (error) {
    await stopAll();
    if (temporary) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }

  return {
    brokers,
    dataDir,
    brokerOf: (nodeId) => address(nodeOf(nodeId)),
    kill: async (nodeId, signal = 'SIGKILL') => processes.get(nodeOf(nodeId).nodeId)?.stop(signal),
    restart: async (nodeId) => {
      const node = nodeOf(nodeId);
      await processes.get(nodeId)?.stop();
      await processes.get(nodeId)?.start([address(node)]);
    },
    leaderOf: async (topic, partition) => {
      // kafkajs asks a broker of its cached metadata at random, and right after a crash that
      // still lists the dead node: ask again, through the running nodes in turn.
      let failure: unknown;
      for (let attempt = 0; attempt < 10; attempt++) {
        const running = live();
        const admin = new Kafka({ brokers: [running[attempt % running.length]], logLevel: logLevel.NOTHING, connectionTimeout: 1000, retry: { retries: 0 } }).admin();
        try {
          await admin.connect();
          const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
          return metadata?.partitions.find((candidate) => candidate.partitionId === partition)?.leader ?? -1;
        } catch (error) {
          failure = error;
        } finally {
          await admin.disconnect();
        }
      }
      throw new Error(`leaderOf(${topic}, ${partition}): no answer from the running nodes`, { cause: failure });
    },
    stop: async () => {
      await stopAll();
      if (temporary) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Picks each node's ports, writes its properties and formats its storage with the same initial
 * quorum (every node a voter, each with a metadata directory id chosen here). The quorum file is
 * written last: a folder without it was not formatted whole and is formatted again.
 */
async function formatCluster(nodes: ClusterNode[], firstPort: number | undefined, heapMb: number, quorumFile: string): Promise<void> {
  const clients = firstPort === undefined ? await freePorts(nodes.length) : nodes.map((_, i) => firstPort + i);
  const controllers = await freePorts(nodes.length, clients);
  const clusterId = kafkaUuid();
  const quorum = nodes.map((node, i) => `${node.nodeId}@127.0.0.1:${controllers[i]}:${kafkaUuid()}`);
  nodes.forEach((node, i) => {
    const ports = { client: clients[i], controller: controllers[i] };
    node.ports = ports;
    const logDir = join(node.propertiesFile, '..', 'logs');
    rmSync(logDir, { recursive: true, force: true });
    writeFileSync(node.propertiesFile, serverProperties({ nodeId: node.nodeId, ports, controllerPorts: controllers, logDir }));
  });
  await Promise.all(nodes.map((node) => formatStorage({ propertiesFile: node.propertiesFile, clusterId, quorum, heapMb, logFile: node.logFile })));
  writeFileSync(quorumFile, `${quorum.join(',')}\n`);
}

