import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { connect, migrateDownAll, migrateToLatest, openEmbedded, testDatabaseEnv } from '@parley/db';
import { migrations, schema } from './index';

/**
 * A database of this test's own (a new one on the server, or an in-memory PGlite), so taking the
 * tables down disturbs no other test file.
 */
async function privateDatabase(): Promise<{ db: Kysely<unknown>; close(): Promise<void> }> {
  const target = process.env[testDatabaseEnv];
  if (target && !target.startsWith('pglite:')) {
    const name = `parley_auth_migrations_${randomBytes(4).toString('hex')}`;
    const admin = connect<unknown>({ kind: 'postgres', url: target, maxConnections: 1 });
    await sql`create database ${sql.id(name)}`.execute(admin);
    const url = new URL(target);
    url.pathname = `/${name}`;
    const db = connect<unknown>({ kind: 'postgres', url: url.toString(), maxConnections: 1 });
    return {
      db,
      async close() {
        await db.destroy();
        await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin);
        await admin.destroy();
      },
    };
  }
  const pglite = await openEmbedded();
  const db = connect<unknown>({ kind: 'pglite', pglite });
  return {
    db,
    async close() {
      await db.destroy();
      await pglite.close();
    },
  };
}

describe('auth migrations', () => {
  it('go up, all the way down, and up again', async () => {
    const { db, close } = await privateDatabase();
    const tables = async () =>
      (
        await sql<{ table_name: string }>`
          select table_name from information_schema.tables
          where table_schema = ${schema} and table_name not like 'kysely_migration%'
          order by table_name`.execute(db)
      ).rows.map((row) => row.table_name);
    try {
      expect(await migrateToLatest(db, schema, migrations)).toEqual(Object.keys(migrations));
      expect(await tables()).toEqual(['refresh_tokens', 'users']);
      expect(await migrateDownAll(db, schema, migrations)).toEqual(Object.keys(migrations).reverse());
      expect(await tables()).toEqual([]);
      await migrateToLatest(db, schema, migrations);
      expect(await tables()).toEqual(['refresh_tokens', 'users']);
    } finally {
      await close();
    }
  });
});
