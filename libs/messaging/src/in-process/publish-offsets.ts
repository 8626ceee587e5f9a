let last = 0n;

/**
 * The offset of the next message published in this process.
 *
 * Consumers store the offset they applied with their own writes and hand it back through
 * `resumeFrom` after a restart, while the in-process bus starts empty after a restart (the relay
 * publishes again from its checkpoint). Offsets counting from zero would make the stored offsets
 * of the last run hide every new message. So an offset is the wall-clock time of publishing in
 * microseconds, and strictly increasing within the process even when many messages share a
 * microsecond: every message of a later run has a larger offset than any stored from an earlier
 * one, as long as the clock does not go back across the restart (and no run published over a
 * million messages a second for long enough to run ahead of the clock).
 */
export function nextPublishOffset(): bigint {
  const now = BigInt(Date.now()) * 1000n;
  last = now > last ? now : last + 1n;
  return last;
}
