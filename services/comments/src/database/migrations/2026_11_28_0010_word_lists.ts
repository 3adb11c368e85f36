import { sql, type Kysely, type Migration } from 'kysely';

/** Each site's banned and suspect words (see src/moderation/word-matcher.ts for how they match). */
export const wordLists: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .withSchema('comments')
      .createTable('word_lists')
      .addColumn('site_id', 'text', (col) => col.primaryKey().references('sites.id').onDelete('cascade'))
      .addColumn('banned', sql`text[]`, (col) => col.notNull().defaultTo(sql`'{}'`))
      .addColumn('suspect', sql`text[]`, (col) => col.notNull().defaultTo(sql`'{}'`))
      .addColumn('updated_at', sql`timestamptz(3)`, (col) => col.notNull().defaultTo(sql`now()`))
      .addColumn('updated_by', 'text', (col) => col.notNull())
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.withSchema('comments').dropTable('word_lists').execute();
  },
};
