import { sql, type Kysely, type Migration } from 'kysely';
import { connect } from './connect';
import { migrateToLatest } from './migrate';
import { openPrivateDatabase } from './testing';

/** Two replicas starting at once must not both apply a migration, nor race creating the schema. */
describe('migrateToLatest', () => {
  it('applies each migration once when several processes migrate at the same moment', async () => {
    const { source, close } = await openPrivateDatabase();
    let applied = 0;
    const migrations: Record<string, Migration> = {
      '2026_01_01_0001_counter': {
        async up(db: Kysely<unknown>) {
          applied += 1;
          await sql`create table race.counter (n int)`.execute(db);
          // Long enough that a second runner would overlap without the lock.
          await sql`select pg_sleep(0.2)`.execute(db);
        },
        async down(db: Kysely<unknown>) {
          await sql`drop table race.counter`.execute(db);
        },
      },
    };
    // Separate connections (separate pools on PostgreSQL), as separate replicas would have.
    const replicas = [0, 1, 2].map(() => connect<unknown>(source));
    try {
      const results = await Promise.all(replicas.map((db) => migrateToLatest(db, 'race', migrations)));
      expect(applied).toBe(1);
      expect(results.flat()).toEqual(['2026_01_01_0001_counter']);
    } finally {
      for (const db of replicas) await db.destroy();
      await close();
    }
  });
});
