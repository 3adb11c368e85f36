import { sql, type Kysely, type Migration } from 'kysely';

export const comments: Migration = {
  async up(db: Kysely<any>) {
    const schema = db.schema.withSchema('comments');
    await schema
      .createTable('comments')
      .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
      .addColumn('article_id', 'uuid', (col) => col.notNull().references('articles.id').onDelete('cascade'))
      .addColumn('parent_id', 'uuid', (col) => col.references('comments.id'))
      // The top-level ancestor, so a whole conversation can be fetched without walking the tree.
      .addColumn('root_id', 'uuid', (col) => col.references('comments.id'))
      .addColumn('depth', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('author_id', 'text', (col) => col.notNull())
      .addColumn('author_name', 'text', (col) => col.notNull())
      .addColumn('body', 'text', (col) => col.notNull())
      .addColumn('html', 'text', (col) => col.notNull())
      .addColumn('status', 'text', (col) =>
        col.notNull().defaultTo('published').check(sql`status in ('published', 'pending', 'removed', 'deleted')`),
      )
      .addColumn('reply_count', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('reaction_count', 'integer', (col) => col.notNull().defaultTo(0))
      // Millisecond precision, so a timestamp survives the round trip through a JS Date in a cursor.
      .addColumn('created_at', sql`timestamptz(3)`, (col) => col.notNull().defaultTo(sql`now()`))
      .addColumn('edited_at', sql`timestamptz(3)`)
      .addColumn('deleted_at', sql`timestamptz(3)`)
      .addCheckConstraint('comments_root_matches_parent', sql`(parent_id is null) = (root_id is null)`)
      .execute();

    // One index per way a thread is read: top-level by time (either direction) and by reactions,
    // and direct replies of a comment oldest first. Each serves its keyset query without sorting.
    await schema
      .createIndex('comments_top_level_by_time')
      .on('comments')
      .columns(['article_id', 'created_at', 'id'])
      .where(sql.ref('parent_id'), 'is', null)
      .execute();
    await schema
      .createIndex('comments_top_level_by_reactions')
      .on('comments')
      .expression(sql`article_id, reaction_count desc, created_at desc, id desc`)
      .where(sql.ref('parent_id'), 'is', null)
      .execute();
    await schema.createIndex('comments_replies_by_time').on('comments').columns(['parent_id', 'created_at', 'id']).execute();
    await schema.createIndex('comments_by_author').on('comments').columns(['author_id', 'created_at']).execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.withSchema('comments').dropTable('comments').execute();
  },
};
