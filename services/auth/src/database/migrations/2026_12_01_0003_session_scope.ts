import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Sessions remember their scope (a staff session only from Parley's own origin, see ADR 0006), and
 * revocations can be listed by time, so other services learn within seconds which sessions ended.
 */
export const migration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .withSchema('auth')
      .alterTable('refresh_tokens')
      .addColumn('scope', 'text', (col) => col.notNull().defaultTo('participant').check(sql`scope in ('participant', 'staff')`))
      .execute();
    await db.schema.withSchema('auth').createIndex('refresh_tokens_revoked_at_idx').on('refresh_tokens').column('revoked_at').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.withSchema('auth').dropIndex('refresh_tokens_revoked_at_idx').execute();
    await db.schema.withSchema('auth').alterTable('refresh_tokens').dropColumn('scope').execute();
  },
};
