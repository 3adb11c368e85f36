import { sql, type Kysely, type Migration } from 'kysely';

export const articles: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .withSchema('comments')
      .createTable('articles')
      .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
      .addColumn('site_id', 'text', (col) => col.notNull().references('sites.id').onDelete('cascade'))
      .addColumn('key', 'text', (col) => col.notNull())
      .addColumn('url', 'text')
      .addColumn('title', 'text')
      .addColumn('state', 'text', (col) => col.notNull().defaultTo('open').check(sql`state in ('open', 'closed')`))
      .addColumn('comment_count', 'integer', (col) => col.notNull().defaultTo(0).check(sql`comment_count >= 0`))
      // The article's latest event number; bumped with `update … returning` so the row lock orders events.
      .addColumn('last_seq', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('created_at', sql`timestamptz(3)`, (col) => col.notNull().defaultTo(sql`now()`))
      .addUniqueConstraint('articles_site_key_unique', ['site_id', 'key'])
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.withSchema('comments').dropTable('articles').execute();
  },
};
