import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { MigrationClass } from '@lbc/postgres';
import { CREATE_RUNTIME_ROLE, RUNTIME_ROLE, runMigrations } from '@lbc/postgres';

/*
 * The Merkle tree over the all-stream (see merkle-log.ts) and the tree heads signed over it.
 * Leaves and signed heads are append-only like the events they commit to: the runtime role may
 * read and insert, a trigger refuses UPDATE and DELETE, and only the owner could disable it.
 * Interior nodes are stored for complete subtrees of 16, 256, 4096 … leaves only: any other node
 * is at most 16 stored hashes away, and the table stays about a fifteenth of the leaves.
 */
export class CreateAuditTree1769000000000 implements MigrationInterface {
  name = 'CreateAuditTree1769000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('CREATE SCHEMA audit');
    await runner.query(`
      CREATE TABLE audit.tree_leaves (
        leaf_index bigint PRIMARY KEY CHECK (leaf_index >= 0),
        global_position bigint NOT NULL UNIQUE,
        checkpoint text NOT NULL,
        leaf_hash bytea NOT NULL CHECK (length(leaf_hash) = 32)
      )`);
    await runner.query(`
      CREATE TABLE audit.tree_nodes (
        level smallint NOT NULL CHECK (level > 0 AND level % 4 = 0),
        node_index bigint NOT NULL CHECK (node_index >= 0),
        hash bytea NOT NULL CHECK (length(hash) = 32),
        PRIMARY KEY (level, node_index)
      )`);
    await runner.query(`
      CREATE TABLE audit.tree_heads (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        tree_size bigint NOT NULL CHECK (tree_size >= 0),
        root_hash bytea NOT NULL CHECK (length(root_hash) = 32),
        signed_at timestamptz NOT NULL,
        note text NOT NULL
      )`);
    await runner.query('CREATE INDEX tree_heads_tree_size ON audit.tree_heads (tree_size)');
    await runner.query(`
      CREATE FUNCTION audit.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
      END $$`);
    for (const table of ['tree_leaves', 'tree_nodes', 'tree_heads']) {
      await runner.query(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON audit.${table}
                          FOR EACH ROW EXECUTE FUNCTION audit.refuse_change()`);
      await runner.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON audit.${table}
                          FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change()`);
    }
    await runner.query(CREATE_RUNTIME_ROLE);
    await runner.query(`GRANT USAGE ON SCHEMA audit TO ${RUNTIME_ROLE}`);
    for (const table of ['tree_leaves', 'tree_nodes', 'tree_heads']) {
      await runner.query(`REVOKE ALL ON audit.${table} FROM PUBLIC, ${RUNTIME_ROLE}`);
      await runner.query(`GRANT SELECT, INSERT ON audit.${table} TO ${RUNTIME_ROLE}`);
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP SCHEMA audit CASCADE');
  }
}

export const auditMigrations: MigrationClass[] = [CreateAuditTree1769000000000];

/** Creates or updates the audit schema; safe to call from several processes at once. */
export function migrateAudit(url: string): Promise<void> {
  return runMigrations(url, 'audit_migrations', auditMigrations);
}
