import { Migrator, sql, type Kysely, type Migration, type MigrationResultSet } from 'kysely';

/**
 * Runs a service's migrations into its own schema, recording them in `<schema>.kysely_migration`
 * so services never step on each other's history. The whole run holds a PostgreSQL advisory lock
 * named after the schema, so replicas starting at once (two comments nodes) migrate one after the
 * other: the first applies, the rest find nothing to do.
 */
export async function migrateToLatest(
  db: Kysely<unknown>,
  schema: string,
  migrations: Record<string, Migration>,
): Promise<string[]> {
  return db.connection().execute(async (connection) => {
    const key = `parley:migrate:${schema}`;
    await sql`select pg_advisory_lock(hashtext(${key}))`.execute(connection);
    try {
      await sql`create schema if not exists ${sql.id(schema)}`.execute(connection);
      const result = await migrator(connection, schema, migrations).migrateToLatest();
      return unwrap(result, schema);
    } finally {
      await sql`select pg_advisory_unlock(hashtext(${key}))`.execute(connection);
    }
  });
}

/** Undo every migration of a schema (used by `db:reset` and the migration round-trip test). */
export async function migrateDownAll(db: Kysely<unknown>, schema: string, migrations: Record<string, Migration>): Promise<string[]> {
  const m = migrator(db, schema, migrations);
  const applied: string[] = [];
  for (;;) {
    const result = await m.migrateDown();
    const names = unwrap(result, schema);
    if (names.length === 0) return applied;
    applied.push(...names);
  }
}

function migrator(db: Kysely<unknown>, schema: string, migrations: Record<string, Migration>): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableSchema: schema,
    // Migration numbers are handed out to work landing in parallel: a database that already ran a
    // later-numbered one must still take an earlier number that landed after it. Each migration
    // touches only its own tables, so the order between such siblings does not matter.
    allowUnorderedMigrations: true,
  });
}

function unwrap({ error, results }: MigrationResultSet, schema: string): string[] {
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`Migrating schema "${schema}" failed${failed ? ` at ${failed}` : ''}: ${(error as Error).message ?? error}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
