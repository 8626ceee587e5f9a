// Loaded by Jest globalSetup too, outside Jest's module mapper: relative imports only.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { freePort } from '../../../postgres/src/free-port';
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';

const KAFKA_HOME = resolve(__dirname, '../../../../deploy/kafka');
const LIBS = join(KAFKA_HOME, 'libs');
// A dynamic AppCDS archive of the classes a broker loads: it takes startup from ~2.8 s to ~1.6 s.
// Recorded by the first broker that runs without one, kept beside the jars (refetching drops it).
const CLASS_ARCHIVE = join(LIBS, 'kafka.jsa');
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

/** Runs `deploy/kafka/fetch.sh`: downloads the jars unless this pom.xml's jars are there already. */
export async function fetchKafkaJars(): Promise<void> {
  await promisify(execFile)('sh', [join(KAFKA_HOME, 'fetch.sh')]);
}

export interface NodePorts {
  readonly client: number;
  readonly controller: number;
}

export interface NodeProperties {
  readonly nodeId: number;
  readonly ports: NodePorts;
  /** Every controller's port, this node's among them. */
  readonly controllerPorts: readonly number[];
  readonly logDir: string;
}

/**
 * A combined broker and controller. Kafka's internal topics are replicated like the topics of a
 * cluster this size should be (3 and 2 from three nodes on), so that losing a node loses no
 * consumer group; topics of our own set their settings when created, and the broker defaults
 * (replication 1) are left as Kafka ships them, so a topic that inherits them shows.
 */
export function serverProperties({ nodeId, ports, controllerPorts, logDir }: NodeProperties): string {
  const replicas = Math.min(3, controllerPorts.length);
  const minInsync = Math.min(2, replicas);
  return `${[
    'process.roles=broker,controller',
    `node.id=${nodeId}`,
    `controller.quorum.bootstrap.servers=${controllerPorts.map((port) => `127.0.0.1:${port}`).join(',')}`,
    `listeners=PLAINTEXT://127.0.0.1:${ports.client},CONTROLLER://127.0.0.1:${ports.controller}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${ports.client}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    `log.dirs=${logDir}`,
    `offsets.topic.replication.factor=${replicas}`,
    `transaction.state.log.replication.factor=${replicas}`,
    `transaction.state.log.min.isr=${minInsync}`,
    `share.coordinator.state.topic.replication.factor=${replicas}`,
    `share.coordinator.state.topic.min.isr=${minInsync}`,
    'group.initial.rebalance.delay.ms=0',
    // A handful of groups at most: 50 partitions of consumer offsets only cost startup time.
    'offsets.topic.num.partitions=5',
    // Topics are created on purpose with their partition count; a typo must not make a 1-partition topic.
    'auto.create.topics.enable=false',
  ].join('\n')}\n`;
}

export function portsOf(propertiesFile: string): NodePorts {
  const listeners = /^listeners=(.*)$/m.exec(readFileSync(propertiesFile, 'utf8'))?.[1] ?? '';
  const port = (name: string) => Number(new RegExp(`${name}://[^:]+:(\\d+)`).exec(listeners)?.[1]);
  const ports = { client: port('PLAINTEXT'), controller: port('CONTROLLER') };
  if (!ports.client || !ports.controller) throw new Error(`${propertiesFile}: no PLAINTEXT/CONTROLLER listeners`);
  return ports;
}

/** `count` free loopback ports, different from each other and from `taken`. */
export async function freePorts(count: number, taken: readonly number[] = []): Promise<number[]> {
  const ports = [...taken];
  while (ports.length < taken.length + count) {
    const port = await freePort();
    if (!ports.includes(port)) ports.push(port);
  }
  return ports.slice(taken.length);
}

/**
 * Kafka's ids (cluster, directory) are 16 random bytes in unpadded base64url, what
 * `StorageTool random-uuid` prints. Like Kafka's own generator, never one starting with '-': the
 * tool would read it as an option.
 */
export function kafkaUuid(): string {
  let id = randomBytes(16).toString('base64url');
  while (id.startsWith('-')) id = randomBytes(16).toString('base64url');
  return id;
}

/** `recordArchive`: where this JVM should write a class archive when there is none yet. */
function jvmFlags(heapMb: number, recordArchive?: string): string[] {
  const sharing = existsSync(CLASS_ARCHIVE)
    ? [`-XX:SharedArchiveFile=${CLASS_ARCHIVE}`]
    : recordArchive
      ? [`-XX:ArchiveClassesAtExit=${recordArchive}`]
      : [];
  return [
    `-Xmx${heapMb}m`,
    '-XX:+UseSerialGC',
    '-Djava.awt.headless=true',
    '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
    '-Dorg.slf4j.simpleLogger.log.kafka.server.KafkaRaftServer=info',
    '-Dorg.slf4j.simpleLogger.showDateTime=true',
    '-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS',
    ...sharing,
    '-cp',
    join(LIBS, '*'),
  ];
}

function logTail(logFile: string): string {
  return existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n') : '(no log)';
}

/**
 * `kafka-storage format` of one node: `--standalone` for a single node, or
 * `--initial-controllers id@host:port:directory,…` (the same list on every node) for a quorum.
 */
export async function formatStorage(options: {
  propertiesFile: string;
  clusterId: string;
  quorum: readonly string[];
  heapMb: number;
  logFile: string;
}): Promise<void> {
  const quorum = options.quorum.length > 0 ? ['--initial-controllers', options.quorum.join(',')] : ['--standalone'];
  const args = [...jvmFlags(options.heapMb), 'kafka.tools.StorageTool', 'format', '-t', options.clusterId, '-c', options.propertiesFile, ...quorum];
  const out = openSync(options.logFile, 'a');
  try {
    const child = spawn('java', args, { stdio: ['ignore', out, out] });
    const code = await new Promise<number | null>((done, fail) => child.once('error', fail).once('exit', done));
    if (code !== 0) throw new Error(`kafka-storage format exited with ${code}:\n${logTail(options.logFile)}`);
  } finally {
    closeSync(out);
  }
}

/**
 * Ready to serve: metadata answers, the group coordinator has loaded its state, the cluster counts
 * `nodeId` among its brokers, and (`everyPartitionLed`, a lone node: they are all its own) every
 * partition has its leader. In a cluster, a partition whose copies are all on stopped nodes has
 * none, and needs none for this node to serve. After a restart the
 * coordinator lags metadata by a few hundred milliseconds, and clients arriving in between fail
 * (kafkajs consumers give up joining after their retries).
 */
async function serves(brokers: string[], nodeId: number, everyPartitionLed: boolean): Promise<boolean> {
  const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING, connectionTimeout: 1000, retry: { retries: 0 } }).admin();
  try {
    await admin.connect();
    const { topics } = await admin.fetchTopicMetadata();
    const led =
      !everyPartitionLed || topics.every(({ partitions }) => partitions.every(({ leader, partitionErrorCode }) => leader >= 0 && partitionErrorCode === 0));
    await admin.describeGroups(['lbc-readiness-probe']);
    const { brokers: registered } = await admin.describeCluster();
    return led && registered.some((broker) => broker.nodeId === nodeId);
  } catch {
    return false;
  } finally {
    await admin.disconnect();
  }
}

export interface KafkaNodeProcess {
  /** Starts the JVM and waits until the node serves through `brokers` (`serves`). */
  start(brokers: string[]): Promise<void>;
  /** Sends `signal` and waits for the JVM to exit (SIGTERM: SIGKILL after a timeout). */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  readonly running: boolean;
}

/** The JVM of one formatted node; its output goes to `logFile`. */
export function kafkaNodeProcess(options: {
  nodeId: number;
  propertiesFile: string;
  logFile: string;
  heapMb: number;
  everyPartitionLed: boolean;
}): KafkaNodeProcess {
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  // If the test runner dies without teardown, the JVM must not outlive it.
  const killOnExit = () => child?.kill('SIGKILL');

  const stop = async (signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM') => {
    const running = child;
    if (!running) return;
    child = undefined;
    process.removeListener('exit', killOnExit);
    running.kill(signal);
    const timer = setTimeout(() => running.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };

  const start = async (brokers: string[]) => {
    const archive = `${CLASS_ARCHIVE}.${randomBytes(6).toString('hex')}.tmp`;
    const out = openSync(options.logFile, 'a');
    const java = spawn('java', [...jvmFlags(options.heapMb, archive), 'kafka.Kafka', options.propertiesFile], { stdio: ['ignore', out, out] });
    closeSync(out);
    child = java;
    let exitCode: number | null | undefined;
    exited = new Promise<void>((done) =>
      java.once('exit', (code, signal) => {
        exitCode = code;
        // The JVM writes the archive as it exits; publish it once, and only whole.
        if (existsSync(archive)) {
          if (existsSync(CLASS_ARCHIVE) || signal === 'SIGKILL') rmSync(archive, { force: true });
          else renameSync(archive, CLASS_ARCHIVE);
        }
        done();
      }),
    );
    process.once('exit', killOnExit);
    const deadline = Date.now() + READY_TIMEOUT_MS;
    try {
      while (!(await serves(brokers, options.nodeId, options.everyPartitionLed))) {
        if (exitCode !== undefined) throw new Error(`Kafka node ${options.nodeId} exited with ${exitCode} while starting:\n${logTail(options.logFile)}`);
        if (Date.now() > deadline) {
          throw new Error(`Kafka node ${options.nodeId} not serving on ${brokers.join(',')} after ${READY_TIMEOUT_MS} ms:\n${logTail(options.logFile)}`);
        }
        await new Promise((wait) => setTimeout(wait, 100));
      }
    } catch (error) {
      await stop();
      throw error;
    }
  };

  return {
    start,
    stop,
    get running() {
      return child !== undefined;
    },
  };
}
