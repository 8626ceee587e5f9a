import { setTimeout as sleep } from 'node:timers/promises';
import type { ConsumeOptions } from '../bus.port';
import type { HandlerErrorListener } from '../handler-errors';
import { retryDelayMs } from '../handler-errors';
import type { PartitionLog } from './partition-log';

const MAX_BATCH = 500;

interface Waiter {
  readonly offset: bigint;
  readonly done: () => void;
  readonly fail: (error: Error) => void;
}

/** One consumer group's reading of one partition: resumes, hands out batches in order, retries failures. */
export class PartitionReader {
  /** Offset of the last message this group has applied (or had applied before it resumed here). */
  private appliedThrough = -1n;
  private resumed = false;
  private waiters: Waiter[] = [];
  private wake: (() => void) | undefined;
  private readonly stopping = new AbortController();
  private readonly running: Promise<void>;

  constructor(
    private readonly log: PartitionLog,
    private readonly partition: number,
    private readonly options: ConsumeOptions,
    private readonly onHandlerError: HandlerErrorListener,
  ) {
    this.running = this.run();
  }

  /** The log now holds messages up to `offset`: resolves once the group has applied them. */
  handleThrough(offset: bigint): Promise<void> {
    if (this.resumed && this.appliedThrough >= offset) return Promise.resolve();
    if (this.stopped) return Promise.reject(this.stoppedError());
    return new Promise((done, fail) => {
      this.waiters.push({ offset, done, fail });
      this.wake?.();
    });
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    this.wake?.();
    await this.running;
    for (const waiter of this.waiters.splice(0)) waiter.fail(this.stoppedError());
  }

  private stoppedError(): Error {
    return new Error(`Consumer group ${this.options.groupId} stopped before applying messages of ${this.options.topic}[${this.partition}]`);
  }

  private get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  /** Offset of the last message this group has applied; -1 before it has resumed. */
  get applied(): bigint {
    return this.resumed ? this.appliedThrough : -1n;
  }

  private async run(): Promise<void> {
    const resumed = await this.retrying(() => this.resumePoint());
    if (!resumed) return;
    this.appliedThrough = resumed.value;
    this.resumed = true;
    this.settleWaiters();
    while (!this.stopped) {
      const messages = this.log.after(this.appliedThrough, MAX_BATCH);
      if (messages.length === 0) {
        await new Promise<void>((resume) => (this.wake = resume));
        this.wake = undefined;
        continue;
      }
      const handled = await this.retrying(() => this.options.handleBatch({ topic: this.options.topic, partition: this.partition, messages }));
      if (!handled) return;
      this.appliedThrough = BigInt(messages[messages.length - 1].offset);
      this.settleWaiters();
    }
  }

  /**
   * Where the group resumes. Refuses (loudly, retried and reported like a failing handler) to
   * resume below messages this process has already discarded: that would skip them silently.
   */
  private async resumePoint(): Promise<bigint> {
    const stored = await this.options.resumeFrom(this.partition);
    const resumeAfter = stored === null ? -1n : BigInt(stored);
    if (resumeAfter < this.log.discardedThrough) {
      throw new Error(
        `${this.options.groupId} would resume ${this.options.topic}[${this.partition}] after ${resumeAfter}, ` +
          `but this in-process bus has discarded messages through ${this.log.discardedThrough}`,
      );
    }
    return resumeAfter;
  }

  /** Runs `work` until it succeeds (wrapped, to tell success from a stop) or the reader stops (undefined). */
  private async retrying<T>(work: () => Promise<T>): Promise<{ value: T } | undefined> {
    for (let attempt = 1; !this.stopped; attempt += 1) {
      try {
        return { value: await work() };
      } catch (error) {
        this.onHandlerError(error, { topic: this.options.topic, groupId: this.options.groupId, partition: this.partition, attempt });
        await sleep(retryDelayMs(attempt), undefined, { signal: this.stopping.signal }).catch(() => undefined);
      }
    }
    return undefined;
  }

  private settleWaiters(): void {
    const waiting: Waiter[] = [];
    for (const waiter of this.waiters) {
      if (waiter.offset <= this.appliedThrough) waiter.done();
      else waiting.push(waiter);
    }
    this.waiters = waiting;
  }
}
