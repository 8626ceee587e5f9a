import { runMigrations } from '@lbc/postgres';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { FACT_ENTITIES } from './facts/fact-entities';
import { ProjectorOffsetRow } from './facts/projector-offset.entity';
import { ReadModelFacts1764000000000 } from './migrations/1764000000000-read-model-facts.migration';
import { ReadModelClassName1765000000000 } from './migrations/1765000000000-class-name.migration';
import { ReadModelTrimIndexes1766000000000 } from './migrations/1766000000000-trim-indexes.migration';
import { ReadModelsPosition1767000000000 } from './migrations/1767000000000-read-models-position.migration';
import { ReadModelChildStates1768000000000 } from './migrations/1768000000000-child-states.migration';
import { ReadModelUnitContributions1769000000000 } from './migrations/1769000000000-unit-contributions.migration';
import { ReadModelServedIndex1770000000000 } from './migrations/1770000000000-served-index.migration';

/** The schema the dashboard reads and the live projector writes. */
export const LIVE_SCHEMA = 'read_models';
const MIGRATIONS_TABLE = 'read_models_migrations';

function checkedSchema(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`schema: not a plain lower-case identifier: ${schema}`);
  return schema;
}

/**
 * The connection string with `search_path` set to one read-model schema: every read-model
 * statement is unqualified, so one set of migrations, projection and queries serves the live
 * schema and a rebuild's fresh one, and a renamed schema is picked up by the next statement.
 */
export function inSchema(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${checkedSchema(schema)}`);
  return parsed.toString();
}

/** Creates the schema if needed and applies the read-model migrations inside it. */
export async function migrateReadModels(url: string, schema: string = LIVE_SCHEMA): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${checkedSchema(schema)}`);
  } finally {
    await client.end();
  }
  await runMigrations(inSchema(url, schema), MIGRATIONS_TABLE, [
    ReadModelFacts1764000000000,
    ReadModelClassName1765000000000,
    ReadModelTrimIndexes1766000000000,
    ReadModelsPosition1767000000000,
    ReadModelChildStates1768000000000,
    ReadModelUnitContributions1769000000000,
    ReadModelServedIndex1770000000000,
  ]);
}

/** A TypeORM data source on one read-model schema (already migrated). */
export async function openReadModels(url: string, schema: string = LIVE_SCHEMA, poolSize = 10): Promise<DataSource> {
  const dataSource = new DataSource({
    type: 'postgres',
    url: inSchema(url, schema),
    entities: [...FACT_ENTITIES, ProjectorOffsetRow],
    poolSize,
    logging: false,
  });
  return dataSource.initialize();
}
