import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { PGliteDialect } from './pglite-dialect';

/**
 * Where a service's data lives: a real PostgreSQL server (DATABASE_URL), or an embedded PGlite
 * instance that the process opened itself.
 */
export type DatabaseSource = { kind: 'postgres'; url: string; maxConnections?: number } | { kind: 'pglite'; pglite: PGlite };

// count(*) and other int8 values arrive as numbers from both drivers; our counts stay far below 2^53.
const int8Oid = 20;
pg.types.setTypeParser(int8Oid, (value) => Number(value));

const pools = new WeakMap<object, pg.Pool>();

/** Connections of a kysely instance made by `connect` (undefined for the embedded database). */
export function poolStats(db: object): { total: number; idle: number; waiting: number } | undefined {
  const pool = pools.get(db);
  return pool && { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
}

export function connect<DB>(source: DatabaseSource): Kysely<DB> {
  if (source.kind === 'pglite') return new Kysely<DB>({ dialect: new PGliteDialect(source.pglite) });
  const pool = new pg.Pool({
    connectionString: source.url,
    max: source.maxConnections ?? 10,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
  });
  // An idle client losing its server (restart, failover) must not crash the process.
  pool.on('error', () => {});
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  pools.set(db, pool);
  return db;
}

/**
 * Opens the embedded PostgreSQL. `dataDir` persists it across restarts; omit it for an in-memory
 * database. `loadDataDir` starts from a dump made by `dumpDataDir` (a migrated template, in tests).
 */
export async function openEmbedded(options: { dataDir?: string; loadDataDir?: Blob } = {}): Promise<PGlite> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  return PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    parsers: { [int8Oid]: (value: string) => Number(value) },
  });
}

/** Throws unless the database answers a trivial query; used by readiness checks. */
export async function ping(db: Kysely<unknown>): Promise<void> {
  await sql`select 1`.execute(db);
}
