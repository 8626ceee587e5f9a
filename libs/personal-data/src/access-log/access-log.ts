import { createHash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import type { Pool } from 'pg';
import { transaction } from '@lbc/postgres';

// One writer at a time: each entry chains onto the one before.
const LOG_LOCK = `SELECT pg_advisory_xact_lock(hashtextextended('personal_data_access_log', 0))`;
/** `prevHash` of the first entry, as of a stream's first event. */
const GENESIS_HASH = '0'.repeat(64);

/** What is recorded of one read of personal data. */
export interface AccessEntry {
  readonly userId: string;
  readonly role: string;
  /** The county of the subject: auditors see the entries of their county. */
  readonly countyId: string | null;
  /** The stream whose personal data was opened (`child-…`, `carer-…`). */
  readonly subject: string;
  /** The personal fields opened, as paths (`name`, `guardian.phone`, `notes` …). */
  readonly fields: readonly string[];
  readonly reason: string;
  readonly requestId: string | null;
}

/**
 * Why a school role or platform_admin opened personal data, when the read itself says it: their
 * work is the reason (auditors state theirs).
 */
export function reasonOfRole(role: string): string {
  return role === 'platform_admin' ? 'platform administration' : 'the school’s care work';
}

export interface LoggedAccess extends AccessEntry {
  readonly seq: number;
  /** ISO-8601 UTC. */
  readonly at: string;
  readonly prevHash: string;
  readonly hash: string;
}

type Row = {
  seq: string;
  at: Date;
  user_id: string;
  role: string;
  county_id: string | null;
  subject: string;
  fields: string[];
  reason: string;
  request_id: string | null;
  prev_hash: string;
  hash: string;
};

const fromRow = (row: Row): LoggedAccess => ({
  seq: Number(row.seq),
  at: row.at.toISOString(),
  userId: row.user_id,
  role: row.role,
  countyId: row.county_id,
  subject: row.subject,
  fields: row.fields,
  reason: row.reason,
  requestId: row.request_id,
  prevHash: row.prev_hash,
  hash: row.hash,
});

/** SHA-256 over the RFC 8785 form of the entry without its own hash, as the event chains are. */
export function accessHash(entry: Omit<LoggedAccess, 'hash'>): string {
  const { seq, at, userId, role, countyId, subject, fields, reason, requestId, prevHash } = entry;
  return createHash('sha256')
    .update(canonicalize({ seq, at, userId, role, countyId, subject, fields, reason, requestId, prevHash }), 'utf8')
    .digest('hex');
}

/** Why `entry` does not follow `previous` in the access log's chain (null if it does). */
export function brokenAccessLink(previous: LoggedAccess | undefined, entry: LoggedAccess): string | null {
  const expectedSeq = previous ? previous.seq + 1 : 0;
  if (entry.seq !== expectedSeq) return `follows entry ${expectedSeq - 1}`;
  if (entry.prevHash !== (previous?.hash ?? GENESIS_HASH)) return 'prevHash is not the previous entry’s hash';
  if (accessHash(entry) !== entry.hash) return 'content does not match its hash';
  return null;
}

export interface AccessLogFilter {
  readonly countyId?: string;
  readonly subject?: string;
  readonly userId?: string;
  /** Entries before this `seq` (newest first), for paging. */
  readonly before?: number;
  readonly limit: number;
}

/**
 * The access log: appended before personal data leaves the platform, so that no read goes
 * unrecorded (if the entry cannot be written, the data is not sent).
 */
export class AccessLog {
  constructor(
    private readonly pool: Pool,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async record(entry: AccessEntry): Promise<LoggedAccess> {
    const [logged] = await this.recordAll([entry]);
    return logged;
  }

  /** Several reads of one request (a list's names), chained in order in one transaction. */
  async recordAll(entries: readonly AccessEntry[]): Promise<LoggedAccess[]> {
    if (entries.length === 0) return [];
    return transaction(this.pool, async (client) => {
      await client.query(LOG_LOCK);
      const { rows } = await client.query<{ seq: string; hash: string }>('SELECT seq, hash FROM personal_data_access_log ORDER BY seq DESC LIMIT 1');
      const at = this.clock().toISOString();
      let seq = rows.length === 0 ? 0 : Number(rows[0].seq) + 1;
      let prevHash = rows[0]?.hash ?? GENESIS_HASH;
      const logged = entries.map((entry) => {
        const unhashed = { ...entry, fields: [...entry.fields], seq: seq++, at, prevHash };
        const chained = { ...unhashed, hash: accessHash(unhashed) };
        prevHash = chained.hash;
        return chained;
      });
      const column = <K extends keyof LoggedAccess>(key: K) => logged.map((entry) => entry[key]);
      await client.query(
        `INSERT INTO personal_data_access_log (seq, at, user_id, role, county_id, subject, fields, reason, request_id, prev_hash, hash)
         SELECT seq, at, user_id, role, county_id, subject, ARRAY(SELECT jsonb_array_elements_text(fields)), reason, request_id, prev_hash, hash
           FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[], $8::text[], $9::text[], $10::text[], $11::text[])
                AS r(seq, at, user_id, role, county_id, subject, fields, reason, request_id, prev_hash, hash)`,
        [
          column('seq'),
          column('at'),
          column('userId'),
          column('role'),
          column('countyId'),
          column('subject'),
          logged.map((entry) => JSON.stringify(entry.fields)),
          column('reason'),
          column('requestId'),
          column('prevHash'),
          column('hash'),
        ],
      );
      return logged;
    });
  }

  /** Newest first. */
  async list(filter: AccessLogFilter): Promise<LoggedAccess[]> {
    const { rows } = await this.pool.query<Row>(
      `SELECT * FROM personal_data_access_log
        WHERE ($1::text IS NULL OR county_id = $1) AND ($2::text IS NULL OR subject = $2) AND ($3::text IS NULL OR user_id = $3)
          AND ($4::bigint IS NULL OR seq < $4)
        ORDER BY seq DESC LIMIT $5`,
      [filter.countyId ?? null, filter.subject ?? null, filter.userId ?? null, filter.before ?? null, filter.limit],
    );
    return rows.map(fromRow);
  }

  /** Every entry in order, a page at a time (for `verify`). */
  async *all(pageSize = 5_000): AsyncGenerator<LoggedAccess[]> {
    for (let after = -1; ; ) {
      const { rows } = await this.pool.query<Row>('SELECT * FROM personal_data_access_log WHERE seq > $1 ORDER BY seq LIMIT $2', [after, pageSize]);
      if (rows.length === 0) return;
      const page = rows.map(fromRow);
      yield page;
      after = page[page.length - 1].seq;
    }
  }
}
