import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { PGlite } from '@electric-sql/pglite';
import { sql, type Kysely } from 'kysely';
import { connect, openEmbedded, type DatabaseSource } from './connect';

/** Set by the jest global setup: `postgres://…` for a real server, or `pglite:<dump file>`. */
export const testDatabaseEnv = 'PARLEY_TEST_DATABASE';

export interface TestDatabase {
  source: DatabaseSource;
  close(): Promise<void>;
}

/**
 * The database a test file runs against: the run's fresh PostgreSQL database, or its own copy of
 * the migrated embedded one. Tests create their own rows (users, sites, articles) and never
 * truncate, so files can share the server database.
 */
export async function openTestDatabase(): Promise<TestDatabase> {
  const target = process.env[testDatabaseEnv];
  if (!target) throw new Error(`${testDatabaseEnv} is not set: run tests through jest (pnpm test), whose global setup prepares the database.`);
  if (target.startsWith('pglite:')) {
    const dump = await readFile(target.slice('pglite:'.length));
    const pglite: PGlite = await openEmbedded({ loadDataDir: new Blob([dump]) });
    return { source: { kind: 'pglite', pglite }, close: () => pglite.close() };
  }
  return { source: { kind: 'postgres', url: target, maxConnections: 5 }, close: async () => {} };
}

/**
 * An empty database of the caller's own, for tests that must change the schema itself (migration
 * round trips): a new database on the test server, dropped on close, or a fresh in-memory PGlite.
 */
export async function openPrivateDatabase(): Promise<{ db: Kysely<unknown>; source: DatabaseSource; close(): Promise<void> }> {
  const target = process.env[testDatabaseEnv];
  if (target && !target.startsWith('pglite:')) {
    const name = `parley_private_${randomBytes(4).toString('hex')}`;
    const admin = connect<unknown>({ kind: 'postgres', url: target, maxConnections: 1 });
    await sql`create database ${sql.id(name)}`.execute(admin);
    const url = new URL(target);
    url.pathname = `/${name}`;
    const source: DatabaseSource = { kind: 'postgres', url: url.toString(), maxConnections: 1 };
    const db = connect<unknown>(source);
    return {
      db,
      source,
      async close() {
        await db.destroy();
        await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin);
        await admin.destroy();
      },
    };
  }
  const pglite = await openEmbedded();
  const source: DatabaseSource = { kind: 'pglite', pglite };
  const db = connect<unknown>(source);
  return {
    db,
    source,
    async close() {
      await db.destroy();
      await pglite.close();
    },
  };
}
