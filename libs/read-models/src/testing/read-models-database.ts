import type { TestDatabase } from '@lbc/testing';
import { createTestDatabase } from '@lbc/testing';
import type { DataSource } from 'typeorm';
import type { FactRow } from '../facts/fact-entities';
import { factOf } from '../projection/facts-of';
import type { ProjectedEvent } from '../projection/projected-event';
import { writeFacts } from '../projection/write-facts';
import { migrateReadModels, openReadModels } from '../read-models.schema';

export interface ReadModelsDatabase {
  /** The migrated read models of the spec file's own database. */
  readonly readModels: DataSource;
  /** Projects the events as the projector would; answers how many facts were new. */
  given(...events: ProjectedEvent[]): Promise<number>;
}

/** A spec file's read models on a fresh database: opened before its tests, dropped after them. */
export function useReadModelsDatabase(): ReadModelsDatabase {
  let db: TestDatabase;
  let readModels: DataSource;
  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateReadModels(db.url);
    readModels = await openReadModels(db.url);
  });
  afterAll(async () => {
    await readModels.destroy();
    await db.drop();
  });
  return {
    get readModels() {
      return readModels;
    },
    given: (...events) => writeFacts(readModels.manager, events.map(factOf).filter((fact): fact is FactRow => fact !== null)),
  };
}
