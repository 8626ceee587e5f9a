import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fetchKafkaJars, formatStorage, freePorts, kafkaNodeProcess, kafkaUuid, portsOf, serverProperties } from './kafka-node';
import type { NodePorts } from './kafka-node';

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
    const client = options.port ?? (await freePorts(1))[0];
    const [controller] = await freePorts(1, [client]);
    ports = { client, controller };
    writeFileSync(propertiesFile, serverProperties({ nodeId: 1, ports, controllerPorts: [controller], logDir: join(dataDir, 'logs') }));
    try {
      await formatStorage({ propertiesFile, clusterId: kafkaUuid(), quorum: [], heapMb, logFile });
    } catch (error) {
      // Only a formatted folder keeps its server.properties: the next start formats again.
      rmSync(propertiesFile);
      throw error;
    }
  }
  const brokers = [`127.0.0.1:${ports.client}`];
  const node = kafkaNodeProcess({ nodeId: 1, propertiesFile, logFile, heapMb, everyPartitionLed: true });

  const removeIfTemporary = () => {
    if (temporary) rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await node.start(brokers);
  } catch (error) {
    removeIfTemporary();
    throw error;
  }
  return {
    brokers,
    dataDir,
    restart: async () => {
      await node.stop();
      await node.start(brokers);
    },
    stop: async () => {
      await node.stop();
      removeIfTemporary();
    },
  };
}
