import type { FactRow } from '@lbc/read-models';
import { FACT_ENTITIES } from '@lbc/read-models';
import type { DataSource } from 'typeorm';

/** Every fact row of the live read models, per table, in event-id order: two equal snapshots are equal row by row. */
export async function snapshotReadModels(readModels: DataSource): Promise<Record<string, unknown[]>> {
  const snapshot: Record<string, unknown[]> = {};
  for (const entity of FACT_ENTITIES) {
    const { tableName } = readModels.getMetadata(entity as new () => FactRow);
    snapshot[tableName] = (await readModels.query(`SELECT * FROM ${tableName} ORDER BY event_id`)) as unknown[];
  }
  return snapshot;
}

/** Rows per table, to check a snapshot is not trivially empty. */
export function rowCounts(snapshot: Record<string, unknown[]>): Record<string, number> {
  return Object.fromEntries(Object.entries(snapshot).map(([table, rows]) => [table, rows.length]));
}
