import type { DeliveredBatch } from '@lbc/messaging';
import type { FactRow, IfPresent, ProjectedEvent } from '@lbc/read-models';
import { factOf, isFactPresent, writeFacts } from '@lbc/read-models';
import type { DataSource } from 'typeorm';
import { READ_MODELS_SWAP_LOCK } from '../stream.constants';

export interface AppliedBatch {
  /** Messages after the stored offset. */
  readonly fresh: number;
  /** Facts inserted (events already applied through another message insert nothing). */
  readonly inserted: number;
  /** Store checkpoint of the batch's last message. */
  readonly checkpoint: string | null;
}

/**
 * Applies one delivered batch in ONE transaction with the partition's new offset. Two guards make
 * a redelivery harmless: messages at or below the stored offset are skipped, and every fact is
 * keyed by its event id (the relay may publish one event twice, under two offsets, and a rebuild
 * replays what the projector applies next). A batch is first written as if all its events were
 * new, the cheaper statement; one that meets an event applied before is written again, skipping
 * those.
 */
export async function applyBatch(readModels: DataSource, batch: DeliveredBatch): Promise<AppliedBatch> {
  try {
    return await applyBatchOnce(readModels, batch, 'fail');
  } catch (error) {
    if (!isFactPresent(error)) throw error;
    return applyBatchOnce(readModels, batch, 'skip');
  }
}

async function applyBatchOnce(readModels: DataSource, batch: DeliveredBatch, ifPresent: IfPresent): Promise<AppliedBatch> {
  return readModels.transaction(async (manager) => {
    // First statement, before any table is named: once the lock is granted, every table name
    // resolves in the schema that is live now, even if a rebuild swapped schemas meanwhile.
    await manager.query('SELECT pg_advisory_xact_lock_shared($1)', [READ_MODELS_SWAP_LOCK]);
    const stored = (await manager.query('SELECT "offset" FROM projector_offsets WHERE topic = $1 AND partition = $2 FOR UPDATE', [
      batch.topic,
      batch.partition,
    ])) as { offset: string }[];
    const after = stored.length ? BigInt(stored[0].offset) : -1n;
    const fresh = BigInt(batch.messages[0]?.offset ?? 0) > after ? batch.messages : batch.messages.filter((message) => BigInt(message.offset) > after);
    if (fresh.length === 0) return { fresh: 0, inserted: 0, checkpoint: null };
    const facts = fresh
      .map((message) => factOf(JSON.parse(message.value.toString('utf8')) as ProjectedEvent))
      .filter((fact): fact is FactRow => fact !== null);
    const inserted = await writeFacts(manager, facts, ifPresent);
    const last = fresh[fresh.length - 1];
    const checkpoint = last.headers.checkpoint ?? null;
    await manager.query(
      `INSERT INTO projector_offsets (topic, partition, "offset", checkpoint, updated_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (topic, partition) DO UPDATE SET "offset" = EXCLUDED."offset", checkpoint = EXCLUDED.checkpoint, updated_at = EXCLUDED.updated_at`,
      [batch.topic, batch.partition, last.offset, checkpoint],
    );
    return { fresh: fresh.length, inserted, checkpoint };
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
