import { sql, type Kysely, type Migration } from 'kysely';

/** A version per site's word lists, bumped by every save, so a save made from stale lists is refused (409). */
export const wordListVersions: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.withSchema('comments').alterTable('word_lists').addColumn('version', 'integer', (col) => col.notNull().defaultTo(sql`1`)).execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.withSchema('comments').alterTable('word_lists').dropColumn('version').execute();
  },
};
