import type { AllStreamResolvedEvent, AllStreamSubscription, Filter, ResolvedEvent, StreamingRead } from '@eventstore/db-client';
import { BACKWARDS, END, EventStoreDBClient, excludeSystemEvents, streamNameFilter, StreamNotFoundError, WrongExpectedVersionError } from '@eventstore/db-client';
import { chainEvents, contentDigest } from '../chain/chain';
import { encodeCheckpoint } from '../checkpoint';
import { EventIdConflictError, WrongExpectedRevisionError } from '../event-store.errors';
import type { AppendResult, Checkpoint, EventStore, ExpectedRevision, NewEvent, ReadAllOptions, RecordedEvent, SubscribeOptions, Subscription } from '../event-store.port';
import { START } from '../event-store.port';
import { validateAppend } from '../new-event.validation';
import { decideAppend, fromStoredEvent, toEventData, toExpectedRevision, toReadPosition } from './eventstoredb-mapping';

export interface EventStoreDbEventStoreOptions {
  /** EventStoreDB connection string, e.g. `esdb://localhost:2113?tls=false`. */
  readonly url: string;
  /** Our streams' name prefixes; without them every non-system stream counts as ours. */
  readonly streamPrefixes?: readonly string[];
  /** Source of `recordedAt`. */
  readonly clock?: () => Date;
  /** Pause before resubscribing after a dropped subscription. */
  readonly retryDelayMs?: number;
}

const MAX_ATTEMPTS = 50;
const PAGE = 500;

export function createEventStoreDbEventStore(options: EventStoreDbEventStoreOptions): EventStoreDbEventStore {
  return new EventStoreDbEventStore(options);
}

/**
 * The same semantics over EventStoreDB: the stream is read, idempotency and the expected
 * revision are decided over it, and the append is made with the read revision as expected
 * revision, so a concurrent writer makes it fail and decide again. Each append therefore reads
 * the whole stream: fine for per-subject streams of tens to hundreds of events.
 * eventId uniqueness is checked within the stream only: EventStoreDB has no index by event id.
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private readonly clock: () => Date;
  private readonly filter: Filter;
  private readonly isOurs: (streamId: string) => boolean;
  private readonly retryDelayMs: number;
  private readonly subscriptions = new Set<Subscription>();

  constructor(options: EventStoreDbEventStoreOptions) {
    this.client = EventStoreDBClient.connectionString(options.url);
    this.clock = options.clock ?? (() => new Date());
    this.retryDelayMs = options.retryDelayMs ?? 500;
    const prefixes = options.streamPrefixes;
    this.filter = prefixes ? streamNameFilter({ prefixes: [...prefixes] }) : excludeSystemEvents();
    this.isOurs = (streamId) => !streamId.startsWith('$') && (!prefixes || prefixes.some((prefix) => streamId.startsWith(prefix)));
  }

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    validateAppend(streamId, events, expected);
    const digested = events.map((event) => ({
      eventId: event.eventId,
      contentDigest: contentDigest(event),
    }));
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const decision = decideAppend(await this.readStream(streamId), digested, expected);
      switch (decision.kind) {
        case 'duplicate':
          return {
            status: 'duplicate',
            events: decision.events,
            nextExpectedRevision: decision.events[decision.events.length - 1].revision,
          };
        case 'conflict':
          throw new EventIdConflictError(decision.eventId, streamId);
        case 'wrong-revision':
          throw new WrongExpectedRevisionError(streamId, expected, decision.actual);
        case 'append': {
          const chained = chainEvents(streamId, events, decision.head, this.clock().toISOString());
          try {
            await this.client.appendToStream(streamId, chained.map(toEventData), { expectedRevision: toExpectedRevision(decision.head) });
          } catch (error) {
            if (error instanceof WrongExpectedVersionError) continue;
            throw error;
          }
          // Read back for the positions EventStoreDB gave each event.
          const appended = await this.readStream(streamId, {
            fromRevision: chained[0].revision,
          });
          return {
            status: 'appended',
            events: appended,
            nextExpectedRevision: appended[appended.length - 1].revision,
          };
        }
      }
    }
    throw new Error(`Stream ${streamId}: no append after ${MAX_ATTEMPTS} attempts, the stream kept moving`);
  }

  async readStream(streamId: string, options: { fromRevision?: number } = {}): Promise<RecordedEvent[]> {
    const read = this.client.readStream(streamId, {
      fromRevision: BigInt(options.fromRevision ?? 0),
    });
    try {
      return await collect(read, Number.MAX_SAFE_INTEGER, (resolved) => fromStoredEvent(resolved.event));
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
  }

  async readAll({ after, limit }: ReadAllOptions): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    // EventStoreDB reads $all from a position inclusively, unfiltered: page until `limit` are ours.
    let cursor = after;
    for (let exhausted = false; events.length < limit && !exhausted;) {
      const page: AllStreamResolvedEvent[] = await this.client.readAll({ fromPosition: toReadPosition(cursor), maxCount: PAGE }).toArray();
      exhausted = page.length < PAGE;
      for (const resolved of page) {
        const position = resolved.event?.position;
        const checkpoint = position && encodeCheckpoint(position.commit, position.prepare);
        if (!checkpoint || checkpoint <= cursor) continue;
        cursor = checkpoint;
        const event = this.ours(resolved);
        if (event) events.push(event);
        if (events.length === limit) break;
      }
    }
    return events;
  }

  subscribeToAll({ after, handle, onError }: SubscribeOptions): Subscription {
    let stopped = false;
    let current: AllStreamSubscription | undefined;
    const run = async () => {
      let position = after;
      while (!stopped) {
        current = this.client.subscribeToAll({
          fromPosition: toReadPosition(position),
          filter: this.filter,
        });
        try {
          for await (const resolved of current) {
            const event = this.ours(resolved);
            if (!event || event.checkpoint <= position) continue;
            await handle([event]);
            position = event.checkpoint;
            if (stopped) break;
          }
        } catch (error) {
          if (!stopped) onError?.(error);
        }
        await current.unsubscribe();
        if (!stopped) await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs));
      }
    };
    const finished = run();
    const subscription: Subscription = {
      stop: async () => {
        stopped = true;
        await current?.unsubscribe();
        await finished;
        this.subscriptions.delete(subscription);
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headCheckpoint(): Promise<Checkpoint> {
    const read = this.client.readAll({
      fromPosition: END,
      direction: BACKWARDS,
      maxCount: Number.MAX_SAFE_INTEGER,
    });
    const [last] = await collect(read, 1, (resolved) => this.ours(resolved));
    return last?.checkpoint ?? START;
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    await this.client.dispose();
  }

  private ours(resolved: AllStreamResolvedEvent): RecordedEvent | null {
    const event = fromStoredEvent(resolved.event);
    return event && this.isOurs(event.streamId) ? event : null;
  }
}

/** Reads until `limit` events map to ours, then cancels the read. */
async function collect<T extends ResolvedEvent | AllStreamResolvedEvent>(
  read: StreamingRead<T>,
  limit: number,
  map: (resolved: T) => RecordedEvent | null,
): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  try {
    for await (const resolved of read) {
      const event = map(resolved as T);
      if (event) events.push(event);
      if (events.length >= limit) break;
    }
  } finally {
    await read.cancel();
  }
  return events;
}
