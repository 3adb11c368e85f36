import { rm } from 'node:fs/promises';
import { sql } from 'kysely';
import { connect, testDatabaseEnv } from '@parley/db';

export default async function globalTeardown(): Promise<void> {
  const target = process.env[testDatabaseEnv];
  if (target?.startsWith('pglite:')) {
    await rm(target.slice('pglite:'.length), { force: true });
    return;
  }
  const drop = process.env.PARLEY_TEST_DROP;
  if (!drop) return;
  const { serverUrl, name } = JSON.parse(drop) as { serverUrl: string; name: string };
  const admin = connect<unknown>({ kind: 'postgres', url: serverUrl, maxConnections: 1 });
  try {
    await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin);
  } finally {
    await admin.destroy();
  }
}
