import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Staff per site: a moderator moderates the sites listed here (`*`: every site); admins are
 * global. Moderators from before this change moderated every site, and keep doing so.
 */
export const migration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .withSchema('auth')
      .alterTable('users')
      .addColumn('moderated_sites', sql`text[]`, (col) => col.notNull().defaultTo(sql`'{}'`))
      .execute();
    await sql`update auth.users set moderated_sites = '{*}' where role = 'moderator'`.execute(db);
  },
  async down(db: Kysely<any>) {
    await db.schema.withSchema('auth').alterTable('users').dropColumn('moderated_sites').execute();
  },
};
