import { Client } from 'pg';

/**
 * The group role whose members the services connect as. It may read and write the tables the
 * schema owner creates, except where a migration says otherwise (the event store: SELECT and
 * INSERT only). Not the owner, not a superuser: it cannot ALTER, DISABLE TRIGGER or TRUNCATE a
 * table, nor SET session_replication_role.
 */
export const RUNTIME_ROLE = 'lbc_runtime';

/** Idempotent, also when several processes run it at once (roles are shared by the whole server). */
export const CREATE_RUNTIME_ROLE = `
  DO $$ BEGIN
    CREATE ROLE ${RUNTIME_ROLE} NOLOGIN;
  EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
  END $$`;

/**
 * Run as the schema owner after the migrations: tables and sequences the owner creates from now on
 * (a rebuild's new schema too) are the runtime role's to read and write, and so are those it
 * created before, unless a migration already granted them explicitly (then that grant stands).
 * `runtimeUrl`: what the services connect with; its login is made a member of the runtime role,
 * and created first (with the URL's password) if it does not exist.
 */
export async function grantRuntimeRole(ownerUrl: string, runtimeUrl: string): Promise<void> {
  const login = roleOf(runtimeUrl);
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query(CREATE_RUNTIME_ROLE);
    await client.query(`ALTER DEFAULT PRIVILEGES GRANT USAGE ON SCHEMAS TO ${RUNTIME_ROLE}`);
    await client.query(`ALTER DEFAULT PRIVILEGES GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${RUNTIME_ROLE}`);
    await client.query(`ALTER DEFAULT PRIVILEGES GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${RUNTIME_ROLE}`);
    await client.query(`
      DO $$ DECLARE object record; BEGIN
        FOR object IN
          SELECT n.nspname, c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE c.relowner = current_user::regrole AND c.relkind IN ('r', 'p', 'S')
             AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
             AND NOT EXISTS (SELECT 1 FROM aclexplode(c.relacl) a WHERE a.grantee = '${RUNTIME_ROLE}'::regrole)
        LOOP
          EXECUTE format('GRANT USAGE ON SCHEMA %I TO ${RUNTIME_ROLE}', object.nspname);
          EXECUTE format(CASE WHEN object.relkind = 'S' THEN 'GRANT USAGE, SELECT, UPDATE ON SEQUENCE %I.%I TO ${RUNTIME_ROLE}'
                              ELSE 'GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE %I.%I TO ${RUNTIME_ROLE}' END,
                         object.nspname, object.relname);
        END LOOP;
      END $$`);
    const { rowCount } = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [login]);
    if (rowCount === 0) {
      const password = decodeURIComponent(new URL(runtimeUrl).password);
      await client.query(`CREATE ROLE ${client.escapeIdentifier(login)} LOGIN PASSWORD ${client.escapeLiteral(password)}`);
    }
    await client.query(`GRANT ${RUNTIME_ROLE} TO ${client.escapeIdentifier(login)}`);
  } finally {
    await client.end();
  }
}

/** The role a connection string logs in as. */
export function roleOf(url: string): string {
  return decodeURIComponent(new URL(url).username);
}
