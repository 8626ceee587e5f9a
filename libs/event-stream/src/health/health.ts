import type { TopicReport } from '@lbc/messaging';

/** The dependencies a process can be down for, each checked by one round trip. */
export type DependencyName = 'database' | 'eventStore' | 'kafka';

/** What `GET /health` reports on, for one process. */
export interface HealthSource {
  /** `platform`, `ingest`, `relay` or `projector`. */
  readonly component: string;
  /** Each resolves once its dependency answered, and rejects (or hangs) while it does not. */
  readonly dependencies: Partial<Record<DependencyName, () => Promise<unknown>>>;
  /** Events in the store not yet applied by the projector (or published by the relay) of this process. */
  readonly lag?: () => Promise<number>;
  /** The Kafka topic as the process found it at start: its replication, and what it falls short of. */
  readonly kafkaTopic?: TopicReport;
}

export interface Health {
  /** `unavailable` while any dependency is down: the process cannot serve (readiness). */
  readonly status: 'ok' | 'unavailable';
  readonly component: string;
  readonly dependencies: Partial<Record<DependencyName, 'up' | 'down'>>;
  /** Counted up to `LAG_COUNT_LIMIT`; null when it could not be counted (the event store is down). */
  readonly lag?: number | null;
  readonly kafkaTopic?: TopicReport;
}

/** A dependency that has not answered within this long is down: a probe must answer in time. */
export const DEPENDENCY_TIMEOUT_MS = 2_000;

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Checks every dependency at once, and counts the lag beside. */
export async function checkHealth(source: HealthSource, timeoutMs = DEPENDENCY_TIMEOUT_MS): Promise<Health> {
  const names = Object.keys(source.dependencies) as DependencyName[];
  const [states, lag] = await Promise.all([
    Promise.all(
      names.map((name) =>
        within(Promise.resolve().then(source.dependencies[name]), timeoutMs).then(
          () => 'up' as const,
          () => 'down' as const,
        ),
      ),
    ),
    source.lag ? within(source.lag(), timeoutMs).catch(() => null) : undefined,
  ]);
  const dependencies = Object.fromEntries(names.map((name, index) => [name, states[index]]));
  return {
    status: states.includes('down') ? 'unavailable' : 'ok',
    component: source.component,
    dependencies,
    ...(lag === undefined ? {} : { lag }),
    ...(source.kafkaTopic ? { kafkaTopic: source.kafkaTopic } : {}),
  };
}
