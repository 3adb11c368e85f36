import { readFile } from 'node:fs/promises';
import type { PGlite } from '@electric-sql/pglite';
import { openEmbedded, type DatabaseSource } from './connect';

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
