import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { MigrationClass } from '@lbc/postgres';
import { CREATE_RUNTIME_ROLE, RUNTIME_ROLE, runMigrations } from '@lbc/postgres';

/*
 * One table, one append function. The all-stream is ordered by (transaction_id, global_position):
 * readers take only rows whose transaction is older than every appending transaction still running,
 * so a transaction that commits late can never be skipped (global_position alone would leave gaps
 * that a reader passes before they fill).
 *
 * Per-stream order must also hold in that order, which is why `append` takes the stream's
 * advisory lock FIRST and writes nothing before it: a transaction gets its xid at its first write
 * (here, the INSERT, which also calls pg_current_xact_id()), and an advisory lock assigns none.
 * So the transaction that appends revision n+1 obtains its xid only after the one that appended
 * revision n has committed and released the lock, i.e. strictly later. Had it taken an xid before
 * waiting for the lock, revision n+1 could carry the smaller xid and be read before revision n.
 *
 * Outcomes (one call, one round trip in the common case):
 *   duplicate       every event id is stored, in this stream, with the same content digest
 *   conflict        an event id is stored with other content or in another stream (revision: null, hash: the id)
 *   wrong-revision  the expected revision does not hold (revision: the stream's head, null if none)
 *   head            the client's prevHash is not the head's hash (stale or empty cache): revision and
 *                   hash of the head, to chain on and call again
 *   appended        one row per event with its global position and transaction id
 * p_expected: a revision, -1 for no-stream, -2 for any.
 */
/** `event_store.append`, its body opened by `registration` (statements, each on a line of its own). */
function appendFunction(registration: string): string {
  return `
      CREATE OR REPLACE FUNCTION event_store.append(p_stream_id text, p_expected bigint, p_prev_hash text, p_events jsonb)
      RETURNS TABLE (outcome text, revision integer, hash text, global_position bigint, transaction_id text)
      LANGUAGE plpgsql AS $$
      #variable_conflict use_column
      DECLARE
        v_found integer;
        v_same integer;
        v_conflict uuid;
        v_head_revision integer;
        v_head_hash text;
      BEGIN
${registration}        PERFORM pg_advisory_xact_lock(hashtextextended(p_stream_id, 0));

        SELECT count(*), count(*) FILTER (WHERE s.stream_id = p_stream_id AND s.content_digest = n.content_digest),
               coalesce((array_agg(s.event_id) FILTER (WHERE s.stream_id <> p_stream_id OR s.content_digest <> n.content_digest))[1],
                        (array_agg(s.event_id))[1])
          INTO v_found, v_same, v_conflict
          FROM event_store.events s
          JOIN jsonb_to_recordset(p_events) AS n(event_id uuid, content_digest text) ON n.event_id = s.event_id
         -- An explicit array, so the planner probes the event_id index instead of scanning the table.
         WHERE s.event_id = ANY (ARRAY(SELECT (e ->> 'event_id')::uuid FROM jsonb_array_elements(p_events) e));
        IF v_found > 0 THEN
          IF v_same = jsonb_array_length(p_events) THEN
            RETURN QUERY SELECT 'duplicate'::text, NULL::integer, NULL::text, NULL::bigint, NULL::text;
          ELSE
            RETURN QUERY SELECT 'conflict'::text, NULL::integer, v_conflict::text, NULL::bigint, NULL::text;
          END IF;
          RETURN;
        END IF;

        SELECT e.revision, e.hash INTO v_head_revision, v_head_hash
          FROM event_store.events e WHERE e.stream_id = p_stream_id ORDER BY e.revision DESC LIMIT 1;
        IF (p_expected = -1 AND v_head_revision IS NOT NULL) OR (p_expected >= 0 AND v_head_revision IS DISTINCT FROM p_expected) THEN
          RETURN QUERY SELECT 'wrong-revision'::text, v_head_revision, NULL::text, NULL::bigint, NULL::text;
          RETURN;
        END IF;
        IF p_prev_hash IS DISTINCT FROM coalesce(v_head_hash, repeat('0', 64)) THEN
          RETURN QUERY SELECT 'head'::text, v_head_revision, v_head_hash, NULL::bigint, NULL::text;
          RETURN;
        END IF;

        RETURN QUERY WITH inserted AS (
          INSERT INTO event_store.events (transaction_id, stream_id, revision, event_id, type, schema_version,
                                          occurred_at, recorded_at, data, metadata, content_digest, prev_hash, hash)
          SELECT pg_current_xact_id(), p_stream_id, n.revision, n.event_id, n.type, n.schema_version,
                 n.occurred_at, n.recorded_at, n.data, n.metadata, n.content_digest, n.prev_hash, n.hash
            FROM jsonb_to_recordset(p_events) AS n(revision integer, event_id uuid, type text, schema_version integer,
                 occurred_at text, recorded_at timestamptz, data jsonb, metadata jsonb, content_digest text,
                 prev_hash text, hash text)
           ORDER BY n.revision
          RETURNING revision, hash, global_position, transaction_id
        )
        SELECT 'appended'::text, i.revision, i.hash, i.global_position, i.transaction_id::text FROM inserted i ORDER BY i.revision;
      END $$`;
}

export class CreateEventStore1750000000000 implements MigrationInterface {
  name = 'CreateEventStore1750000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE SCHEMA event_store`);
    await runner.query(`
      CREATE TABLE event_store.events (
        global_position bigint GENERATED ALWAYS AS IDENTITY,
        transaction_id xid8 NOT NULL,
        stream_id text NOT NULL,
        revision integer NOT NULL,
        event_id uuid NOT NULL,
        type text NOT NULL,
        schema_version integer NOT NULL,
        occurred_at text NOT NULL,
        recorded_at timestamptz NOT NULL,
        data jsonb NOT NULL,
        metadata jsonb NOT NULL,
        content_digest text NOT NULL,
        prev_hash text NOT NULL,
        hash text NOT NULL,
        PRIMARY KEY (stream_id, revision),
        UNIQUE (event_id)
      )`);
    await runner.query(`CREATE INDEX events_all_stream ON event_store.events (transaction_id, global_position)`);
    // Corrections are new events; an edited or deleted row would break the chain silently.
    await runner.query(`
      CREATE FUNCTION event_store.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'event_store.events is append-only';
      END $$`);
    await runner.query(`
      CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON event_store.events
      FOR EACH ROW EXECUTE FUNCTION event_store.refuse_change()`);
    await runner.query(appendFunction(''));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP SCHEMA event_store CASCADE`);
  }
}

/*
 * The services connect as members of the runtime role, which may read and append events and
 * nothing else: no UPDATE, DELETE or TRUNCATE, and, not owning the table, no DISABLE TRIGGER.
 * Whatever default privileges the owner set for new tables are taken back first.
 */
export class GrantEventStoreToRuntime1765000000000 implements MigrationInterface {
  name = 'GrantEventStoreToRuntime1765000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(CREATE_RUNTIME_ROLE);
    await runner.query(`REVOKE ALL ON event_store.events FROM PUBLIC, ${RUNTIME_ROLE}`);
    await runner.query(`GRANT USAGE ON SCHEMA event_store TO ${RUNTIME_ROLE}`);
    await runner.query(`GRANT SELECT, INSERT ON event_store.events TO ${RUNTIME_ROLE}`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`REVOKE ALL ON event_store.events FROM ${RUNTIME_ROLE}`);
    await runner.query(`REVOKE USAGE ON SCHEMA event_store FROM ${RUNTIME_ROLE}`);
  }
}

/**
 * The lock an append holds, shared, from before its transaction has an xid until it ends: the
 * readers' horizon (`READ_HORIZON` in the store) waits only for the transactions holding it, not for
 * every transaction on the server (a projector's, a rebuild's, a report's).
 */
export const APPENDING_LOCK = [1_702_260_340, 1] as const;

/*
 * `append` registers its transaction as appending before the transaction has an xid, and refuses
 * to run in a transaction that already has one: so any transaction that can still add events
 * holds the lock whenever it holds an xid.
 */
export class RegisterAppends1770000000000 implements MigrationInterface {
  name = 'RegisterAppends1770000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      appendFunction(`        IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
          RAISE EXCEPTION 'event_store.append must be the first write of its transaction';
        END IF;
        PERFORM pg_advisory_xact_lock_shared(${APPENDING_LOCK[0]}, ${APPENDING_LOCK[1]});
`),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(appendFunction(''));
  }
}

export const eventStoreMigrations: MigrationClass[] = [CreateEventStore1750000000000, GrantEventStoreToRuntime1765000000000, RegisterAppends1770000000000];

/** Creates or updates the event store's schema; safe to call from several processes at once. */
export function migratePostgresEventStore(url: string): Promise<void> {
  return runMigrations(url, 'event_store_migrations', eventStoreMigrations);
}
