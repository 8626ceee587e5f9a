/**
 * Where a consumer's `handleBatch` (or `resumeFrom`) failed; the adapter tries again after
 * `retryDelayMs(attempt)`, redelivering the same batch.
 */
export interface HandlerFailure {
  readonly topic: string;
  readonly groupId: string;
  readonly partition: number;
  /** 1 for the first failure of this batch, then counting up until it succeeds. */
  readonly attempt: number;
}

export type HandlerErrorListener = (error: unknown, failure: HandlerFailure) => void;

/** Without a listener a failing handler still shows up, once per attempt, on stderr. */
export const reportToStderr: HandlerErrorListener = (error, failure) => {
  console.error(`bus consumer ${failure.groupId} on ${failure.topic}[${failure.partition}] failed (attempt ${failure.attempt}):`, error);
};

/**
 * Pause before redelivering a failed batch: short at first (a lost connection heals quickly),
 * then capped so a consumer stuck on a bad message keeps retrying without spinning.
 */
export function retryDelayMs(attempt: number): number {
  return Math.min(100 * 2 ** (attempt - 1), 5_000);
}
