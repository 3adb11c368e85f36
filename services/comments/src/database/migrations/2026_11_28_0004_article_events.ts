import { sql, type Kysely, type Migration } from 'kysely';

export const articleEvents: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .withSchema('comments')
      .createTable('article_events')
      .addColumn('article_id', 'uuid', (col) => col.notNull().references('articles.id').onDelete('cascade'))
      .addColumn('seq', 'integer', (col) => col.notNull())
      .addColumn('type', 'text', (col) => col.notNull())
      .addColumn('payload', 'jsonb', (col) => col.notNull())
      .addColumn('created_at', sql`timestamptz(3)`, (col) => col.notNull().defaultTo(sql`now()`))
      .addPrimaryKeyConstraint('article_events_pkey', ['article_id', 'seq'])
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.withSchema('comments').dropTable('article_events').execute();
  },
};
