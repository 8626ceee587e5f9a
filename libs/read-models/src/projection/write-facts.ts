import type { EntityManager } from 'typeorm';
import type { FactRow } from '../facts/fact-entities';

interface InsertPlan {
  readonly sql: string;
  readonly columns: readonly { readonly property: string; readonly column: string }[];
}

const plans = new WeakMap<object, InsertPlan>();

function planFor(manager: EntityManager, entity: object): InsertPlan {
  const known = plans.get(entity);
  if (known) return known;
  const metadata = manager.connection.getMetadata(entity as new () => FactRow);
  const columns = metadata.columns.map((c) => ({
    property: c.propertyName,
    column: c.databaseName,
    type: `${String(c.type)}${c.isArray ? '[]' : ''}`,
  }));
  const names = columns.map((c) => `"${c.column}"`).join(', ');
  const record = columns.map((c) => `"${c.column}" ${c.type}`).join(', ');
  // One statement per table and batch: the rows travel as one JSON array (no parameter limit,
  // arrays included), and a fact already present (same event) is skipped, not an error.
  const plan = {
    sql: `WITH inserted AS (INSERT INTO "${metadata.tableName}" (${names})
      SELECT ${names} FROM jsonb_to_recordset($1::jsonb) AS r(${record})
      ON CONFLICT (event_id) DO NOTHING RETURNING 1) SELECT count(*)::int AS n FROM inserted`,
    columns,
  };
  plans.set(entity, plan);
  return plan;
}

/**
 * Inserts facts in one multi-row statement per table, within the caller's transaction.
 * Returns how many were new.
 */
export async function writeFacts(manager: EntityManager, facts: readonly FactRow[]): Promise<number> {
  const byEntity = new Map<object, FactRow[]>();
  for (const fact of facts) {
    const group = byEntity.get(fact.constructor);
    if (group) group.push(fact);
    else byEntity.set(fact.constructor, [fact]);
  }
  let inserted = 0;
  for (const [entity, rows] of byEntity) {
    const plan = planFor(manager, entity);
    const records = rows.map((row) => {
      const record: Record<string, unknown> = {};
      for (const { property, column } of plan.columns) record[column] = (row as unknown as Record<string, unknown>)[property];
      return record;
    });
    const [{ n }] = (await manager.query(plan.sql, [JSON.stringify(records)])) as [{ n: number }];
    inserted += n;
  }
  return inserted;
}
