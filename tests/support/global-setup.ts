import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, sql } from 'kysely';
import { connect, migrateToLatest, openEmbedded, testDatabaseEnv } from '@parley/db';
import { serviceSchemas } from './databases';

/** Prepares one fresh, migrated database for this test run (see jest.config.js). */
export default async function globalSetup(): Promise<void> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const name = `parley_test_${Date.now()}_${randomBytes(3).toString('hex')}`;
    const admin = connect<unknown>({ kind: 'postgres', url: serverUrl, maxConnections: 1 });
    try {
      await sql`create database ${sql.id(name)}`.execute(admin);
    } finally {
      await admin.destroy();
    }
    const url = withDatabase(serverUrl, name);
    const db = connect<unknown>({ kind: 'postgres', url, maxConnections: 1 });
    try {
      await migrateAll(db);
    } finally {
      await db.destroy();
    }
    process.env[testDatabaseEnv] = url;
    process.env.PARLEY_TEST_DROP = JSON.stringify({ serverUrl, name });
    process.stdout.write(`\ntests: PostgreSQL database ${name}\n`);
    return;
  }
  const pglite = await openEmbedded();
  await migrateAll(connect<unknown>({ kind: 'pglite', pglite }));
  const dump = await pglite.dumpDataDir('gzip');
  await pglite.close();
  const file = join(tmpdir(), `parley-test-${process.pid}-${randomBytes(3).toString('hex')}.tar.gz`);
  await writeFile(file, Buffer.from(await dump.arrayBuffer()));
  process.env[testDatabaseEnv] = `pglite:${file}`;
  process.stdout.write(`\ntests: embedded PGlite (no DATABASE_URL set)\n`);
}

async function migrateAll(db: Kysely<unknown>): Promise<void> {
  for (const { schema, migrations } of serviceSchemas) await migrateToLatest(db, schema, migrations);
}

export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
