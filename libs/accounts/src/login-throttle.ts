import type { Pool } from 'pg';
import { transaction } from '@lbc/postgres';

/** Thresholds of one scope (libs/ingest/README.md states them). */
export interface ThrottleLimits {
  /** Failures after which each further attempt waits: 1 s, then twice as long each time, at most `maxDelaySeconds`. */
  readonly slowAfter: number;
  readonly maxDelaySeconds: number;
  /** Failures after which the key is locked for `lockSeconds`. */
  readonly lockAfter: number;
  readonly lockSeconds: number;
  /** A key without a failure for this long starts again from zero. */
  readonly forgetAfterSeconds: number;
}

export interface ThrottlePolicy {
  readonly account: ThrottleLimits;
  readonly address: ThrottleLimits;
}

/**
 * Per account slowed after 5 failures and locked for 15 minutes after 10: at most 10 guesses in
 * about a quarter of an hour. Per address slowed after 20 and locked after 100, since a school's
 * staff share one address behind its router, yet one address cannot spray passwords over many accounts.
 */
export const LOGIN_THROTTLE: ThrottlePolicy = {
  account: { slowAfter: 5, maxDelaySeconds: 60, lockAfter: 10, lockSeconds: 15 * 60, forgetAfterSeconds: 15 * 60 },
  address: { slowAfter: 20, maxDelaySeconds: 60, lockAfter: 100, lockSeconds: 15 * 60, forgetAfterSeconds: 15 * 60 },
};

export interface ThrottleKeys {
  /** The username as typed, compared case-insensitively (known or not, so the throttle reveals nothing). */
  readonly account: string;
  readonly address: string;
}

export type ThrottleVerdict = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

type Scope = keyof ThrottlePolicy;

interface ThrottleRow {
  scope: Scope;
  key: string;
  failures: number;
  last_failure_at: Date | null;
  blocked_until: Date | null;
}

/**
 * Failed logins per account and per address, in PostgreSQL so that every ingest replica counts
 * the same. An attempt is counted as a failure before the password is checked, under the rows'
 * locks, and taken back if it succeeds: a burst of parallel guesses cannot slip past the count.
 */
export class LoginThrottle {
  constructor(
    private readonly pool: Pool,
    private readonly policy: ThrottlePolicy = LOGIN_THROTTLE,
  ) {}

  /** Refused while either key is blocked; otherwise the attempt counts as a failure until `succeeded`. */
  async attempt(keys: ThrottleKeys, now: Date): Promise<ThrottleVerdict> {
    const pairs = keysOf(keys);
    return transaction(this.pool, async (client) => {
      await client.query('INSERT INTO login_throttle (scope, key) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING', [
        pairs.map(([scope]) => scope),
        pairs.map(([, key]) => key),
      ]);
      // Rows are locked in one order (account before address), so concurrent attempts never deadlock.
      const { rows } = await client.query<ThrottleRow>(
        "SELECT * FROM login_throttle WHERE (scope, key) IN (('account', $1), ('address', $2)) ORDER BY scope FOR UPDATE",
        [pairs[0][1], pairs[1][1]],
      );
      const blockedUntil = Math.max(...rows.map((row) => row.blocked_until?.getTime() ?? 0));
      if (blockedUntil > now.getTime()) return { allowed: false, retryAfterSeconds: Math.ceil((blockedUntil - now.getTime()) / 1000) };
      for (const row of rows) {
        const limits = this.policy[row.scope];
        const fresh = row.last_failure_at !== null && now.getTime() - row.last_failure_at.getTime() < limits.forgetAfterSeconds * 1000;
        const failures = (fresh ? row.failures : 0) + 1;
        await client.query('UPDATE login_throttle SET failures = $3, last_failure_at = $4, blocked_until = $5 WHERE scope = $1 AND key = $2', [
          row.scope,
          row.key,
          failures,
          now,
          blockAfter(limits, failures, now),
        ]);
      }
      return { allowed: true };
    });
  }

  /**
   * The password was right: the account starts again from zero, and the address takes back the
   * failure its attempt was counted as (with the block that count alone set), keeping the others.
   */
  async succeeded(keys: ThrottleKeys): Promise<void> {
    const [[, account], [, address]] = keysOf(keys);
    await this.pool.query("DELETE FROM login_throttle WHERE scope = 'account' AND key = $1", [account]);
    await this.pool.query(
      `UPDATE login_throttle SET failures = greatest(failures - 1, 0), blocked_until = CASE WHEN failures - 1 < $2 THEN NULL ELSE blocked_until END
        WHERE scope = 'address' AND key = $1`,
      [address, this.policy.address.slowAfter],
    );
  }
}

function keysOf(keys: ThrottleKeys): [Scope, string][] {
  return [
    ['account', keys.account.toLowerCase()],
    ['address', keys.address],
  ];
}

function blockAfter(limits: ThrottleLimits, failures: number, now: Date): Date | null {
  if (failures >= limits.lockAfter) return new Date(now.getTime() + limits.lockSeconds * 1000);
  if (failures < limits.slowAfter) return null;
  const delay = Math.min(2 ** (failures - limits.slowAfter), limits.maxDelaySeconds);
  return new Date(now.getTime() + delay * 1000);
}
