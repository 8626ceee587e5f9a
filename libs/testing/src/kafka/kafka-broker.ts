// Loaded by Jest globalSetup too, outside Jest's module mapper: relative imports only.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { freePort } from '../../../postgres/src/free-port';
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';

export interface KafkaBrokerOptions {
  /** Where the node keeps its configuration and logs; kept on stop. Default: a temporary folder, removed on stop. */
  readonly dataDir?: string;
  /** Client port; default a free one. A data folder used before keeps the ports it was formatted with. */
  readonly port?: number;
  readonly heapMb?: number;
}

export interface KafkaBroker {
  /** Bootstrap addresses for clients (`host:port`). */
  readonly brokers: string[];
  readonly dataDir: string;
  /** SIGTERM, then waits for the JVM to exit (SIGKILL after a timeout). */
  stop(): Promise<void>;
  /** Stops and starts the node again on the same ports and data, as a broker outage would. */
  restart(): Promise<void>;
}

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

interface NodePorts {
  readonly client: number;
  readonly controller: number;
}

function serverProperties(ports: NodePorts, logDir: string): string {
  return `${[
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.bootstrap.servers=127.0.0.1:${ports.controller}`,
    `listeners=PLAINTEXT://127.0.0.1:${ports.client},CONTROLLER://127.0.0.1:${ports.controller}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${ports.client}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    `log.dirs=${logDir}`,
    'offsets.topic.replication.factor=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    // One node serves every group: 50 partitions of consumer offsets only cost startup time.
    'offsets.topic.num.partitions=5',
    // Topics are created on purpose with their partition count; a typo must not make a 1-partition topic.
    'auto.create.topics.enable=false',
  ].join('\n')}\n`;
}

function portsOf(propertiesFile: string): NodePorts {
  const listeners = /^listeners=(.*)$/m.exec(readFileSync(propertiesFile, 'utf8'))?.[1] ?? '';
  const port = (name: string) => Number(new RegExp(`${name}://[^:]+:(\\d+)`).exec(listeners)?.[1]);
  const ports = { client: port('PLAINTEXT'), controller: port('CONTROLLER') };
  if (!ports.client || !ports.controller) throw new Error(`${propertiesFile}: no PLAINTEXT/CONTROLLER listeners`);
  return ports;
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

async function runToCompletion(what: string, args: string[], logFile: string): Promise<void> {
  const out = openSync(logFile, 'a');
  try {
    const child = spawn('java', args, { stdio: ['ignore', out, out] });
    const code = await new Promise<number | null>((done, fail) => child.once('error', fail).once('exit', done));
    if (code !== 0) throw new Error(`${what} exited with ${code}:\n${logTail(logFile)}`);
  } finally {
    closeSync(out);
  }
}

/**
 * Ready to serve: metadata answers, every partition has its leader, and the group coordinator has
 * loaded its state. After a restart the last two lag the first by a few hundred milliseconds, and
 * clients arriving in between fail (kafkajs consumers give up joining after their retries).
 */
async function serves(brokers: string[]): Promise<boolean> {
  const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING, connectionTimeout: 1000, retry: { retries: 0 } }).admin();
  try {
    await admin.connect();
    const { topics } = await admin.fetchTopicMetadata();
    const led = topics.every(({ partitions }) => partitions.every(({ leader, partitionErrorCode }) => leader >= 0 && partitionErrorCode === 0));
    await admin.describeGroups(['lbc-readiness-probe']);
    return led;
  } catch {
    return false;
  } finally {
    await admin.disconnect();
  }
}

/**
 * A real Kafka node (combined KRaft broker and controller) from the jars in deploy/kafka/libs,
 * listening on loopback only.
 */
export async function startKafkaBroker(options: KafkaBrokerOptions = {}): Promise<KafkaBroker> {
  await fetchKafkaJars();
  const temporary = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'lbc-kafka-'));
  mkdirSync(dataDir, { recursive: true });
  const propertiesFile = join(dataDir, 'server.properties');
  const logFile = join(dataDir, 'broker.log');
  const heapMb = options.heapMb ?? 512;

  let ports: NodePorts;
  if (existsSync(propertiesFile)) {
    ports = portsOf(propertiesFile);
    if (options.port !== undefined && options.port !== ports.client) {
      throw new Error(`port: ${dataDir} was formatted for port ${ports.client}, not ${options.port}`);
    }
  } else {
    const client = options.port ?? (await freePort());
    let controller = await freePort();
    while (controller === client) controller = await freePort();
    ports = { client, controller };
    writeFileSync(propertiesFile, serverProperties(ports, join(dataDir, 'logs')));
    // Kafka's cluster ids are 16 random bytes in unpadded base64url, what `StorageTool random-uuid` prints.
    // Like Kafka's own generator, never one starting with '-': the tool would read it as an option.
    let clusterId = randomBytes(16).toString('base64url');
    while (clusterId.startsWith('-')) clusterId = randomBytes(16).toString('base64url');
    try {
      await runToCompletion(
        'kafka-storage format',
        [...jvmFlags(heapMb), 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', propertiesFile, '--standalone'],
        logFile,
      );
    } catch (error) {
      // Only a formatted folder keeps its server.properties: the next start formats again.
      rmSync(propertiesFile);
      throw error;
    }
  }
  const brokers = [`127.0.0.1:${ports.client}`];

  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  // If the test runner dies without teardown, the JVM must not outlive it.
  const killOnExit = () => child?.kill('SIGKILL');

  const start = async () => {
    const archive = `${CLASS_ARCHIVE}.${randomBytes(6).toString('hex')}.tmp`;
    const out = openSync(logFile, 'a');
    const java = spawn('java', [...jvmFlags(heapMb, archive), 'kafka.Kafka', propertiesFile], { stdio: ['ignore', out, out] });
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
    while (!(await serves(brokers))) {
      if (exitCode !== undefined) throw new Error(`Kafka broker exited with ${exitCode} while starting:\n${logTail(logFile)}`);
      if (Date.now() > deadline) {
        throw new Error(`Kafka broker not serving on ${brokers[0]} after ${READY_TIMEOUT_MS} ms:\n${logTail(logFile)}`);
      }
      await new Promise((wait) => setTimeout(wait, 100));
    }
  };

  const stopProcess = async () => {
    const running = child;
    if (!running) return;
    child = undefined;
    process.removeListener('exit', killOnExit);
    running.kill('SIGTERM');
    const timer = setTimeout(() => running.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };

  const removeIfTemporary = () => {
    if (temporary) rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await start();
  } catch (error) {
    await stopProcess();
    removeIfTemporary();
    throw error;
  }
  return {
    brokers,
    dataDir,
    restart: async () => {
      await stopProcess();
      await start();
    },
    stop: async () => {
      await stopProcess();
      removeIfTemporary();
    },
  };
}
