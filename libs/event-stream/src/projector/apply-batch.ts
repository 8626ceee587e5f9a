import type { DeliveredBatch } from '@lbc/messaging';
import type { FactRow, IfPresent, ProjectedEvent } from '@lbc/read-models';
import { factOf, isFactPresent, writeFacts } from '@lbc/read-models';
import type { DataSource } from 'typeorm';
import { READ_MODELS_SWAP_LOCK } from '../stream.constants';

export interface AppliedBatch {
  /** Messages after the stored offsets. */
  readonly fresh: number;
  /** Facts inserted (events already applied through another message insert nothing). */
  readonly inserted: number;
  /** Store checkpoint of the latest message applied (checkpoints compare as strings), null if none was fresh. */
  readonly checkpoint: string | null;
}

/** `applyBatches` of one batch. */
export function applyBatch(readModels: DataSource, batch: DeliveredBatch): Promise<AppliedBatch> {
  return applyBatches(readModels, [batch]);
}

/**
 * Applies delivered batches, at most one per partition, in ONE transaction with their partitions'
 * new offsets. Two guards make a redelivery harmless: messages at or below the stored offset are
 * skipped, and every fact is keyed by its event id (the relay may publish one event twice, under
 * two offsets, and a rebuild replays what the projector applies next). The batches are first
 * written as if all their events were new, the cheaper statement; if one meets an event applied
 * before, they are written again, skipping those.
 */
export async function applyBatches(readModels: DataSource, batches: readonly DeliveredBatch[]): Promise<AppliedBatch> {
  try {
    return await applyBatchesOnce(readModels, batches, 'fail');
  } catch (error) {
    if (!isFactPresent(error)) throw error;
    return applyBatchesOnce(readModels, batches, 'skip');
  }
}

async function applyBatchesOnce(readModels: DataSource, batches: readonly DeliveredBatch[], ifPresent: IfPresent): Promise<AppliedBatch> {
  // In one order, so that two transactions over the same partitions lock their offsets alike.
  const sorted = [...batches].sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
  const topics = sorted.map((batch) => batch.topic);
  const partitions = sorted.map((batch) => batch.partition);
  return readModels.transaction(async (manager) => {
    // First statement, before any table is named: once the lock is granted, every table name
    // resolves in the schema that is live now, even if a rebuild swapped schemas meanwhile.
    await manager.query('SELECT pg_advisory_xact_lock_shared($1)', [READ_MODELS_SWAP_LOCK]);
    const stored = (await manager.query(
      `SELECT o.topic, o.partition, o."offset" FROM projector_offsets o JOIN unnest($1::text[], $2::int[]) AS b(topic, partition) USING (topic, partition)
        ORDER BY o.topic, o.partition FOR UPDATE OF o`,
      [topics, partitions],
    )) as { topic: string; partition: number; offset: string }[];
    const after = new Map(stored.map((row) => [`${row.partition} ${row.topic}`, BigInt(row.offset)]));
    const applied = sorted
      .map((batch) => {
        const storedOffset = after.get(`${batch.partition} ${batch.topic}`) ?? -1n;
        const fresh = BigInt(batch.messages[0]?.offset ?? 0) > storedOffset ? batch.messages : batch.messages.filter((message) => BigInt(message.offset) > storedOffset);
        return { batch, fresh, last: fresh[fresh.length - 1] };
      })
      .filter(({ last }) => last !== undefined);
    if (applied.length === 0) return { fresh: 0, inserted: 0, checkpoint: null };
    const facts = applied
      .flatMap(({ fresh }) => fresh.map((message) => factOf(JSON.parse(message.value.toString('utf8')) as ProjectedEvent)))
      .filter((fact): fact is FactRow => fact !== null);
    const inserted = await writeFacts(manager, facts, ifPresent);
    const checkpoints = applied.map(({ last }) => last.headers.checkpoint ?? null);
    await manager.query(
      `INSERT INTO projector_offsets (topic, partition, "offset", checkpoint, updated_at)
       SELECT topic, partition, "offset", checkpoint, now() FROM unnest($1::text[], $2::int[], $3::bigint[], $4::text[]) AS b(topic, partition, "offset", checkpoint)
       ON CONFLICT (topic, partition) DO UPDATE SET "offset" = EXCLUDED."offset", checkpoint = EXCLUDED.checkpoint, updated_at = EXCLUDED.updated_at`,
      [applied.map(({ batch }) => batch.topic), applied.map(({ batch }) => batch.partition), applied.map(({ last }) => last.offset), checkpoints],
    );
    return {
      fresh: applied.reduce((sum, { fresh }) => sum + fresh.length, 0),
      inserted,
      checkpoint: checkpoints.reduce<string | null>((latest, checkpoint) => (checkpoint !== null && (latest === null || checkpoint > latest) ? checkpoint : latest), null),
    };
  });
}

/** Where a partition resumes: the offset stored with the read models, or null for its beginning. */
export async function storedOffset(readModels: DataSource, topic: string, partition: number): Promise<string | null> {
  const rows = (await readModels.query('SELECT "offset" FROM projector_offsets WHERE topic = $1 AND partition = $2', [topic, partition])) as {
    offset: string;
  }[];
  return rows[0]?.offset ?? null;
}

/** The latest store checkpoint applied on any partition of the topic (checkpoints compare as strings). */
export async function latestAppliedCheckpoint(readModels: DataSource, topic: string): Promise<string | null> {
  const rows = (await readModels.query('SELECT max(checkpoint) AS checkpoint FROM projector_offsets WHERE topic = $1', [topic])) as {
    checkpoint: string | null;
  }[];
  return rows[0]?.checkpoint ?? null;
}
