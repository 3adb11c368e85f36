import { sql, type Kysely, type Migration } from 'kysely';

/** One reaction ("like") per user per comment; the comment keeps a denormalized reaction_count. */
export const reactions: Migration = {
  async up(db: Kysely<any>) {
    const schema = db.schema.withSchema('comments');
    await schema
      .createTable('reactions')
      .addColumn('comment_id', 'uuid', (col) => col.notNull().references('comments.id').onDelete('cascade'))
      .addColumn('user_id', 'text', (col) => col.notNull())
      .addColumn('created_at', sql`timestamptz(3)`, (col) => col.notNull().defaultTo(sql`now()`))
      .addPrimaryKeyConstraint('reactions_pkey', ['comment_id', 'user_id'])
      .execute();
    await schema.createIndex('reactions_by_user').on('reactions').columns(['user_id', 'created_at']).execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.withSchema('comments').dropTable('reactions').execute();
  },
};
