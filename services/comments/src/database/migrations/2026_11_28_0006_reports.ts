import { sql, type Kysely, type Migration } from 'kysely';

/** Readers' reports of comments: one per reader per comment; moderators resolve them. */
export const reports: Migration = {
  async up(db: Kysely<any>) {
    const schema = db.schema.withSchema('comments');
    await schema
      .createTable('reports')
      .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
      .addColumn('comment_id', 'uuid', (col) => col.notNull().references('comments.id').onDelete('cascade'))
      .addColumn('reporter_id', 'text', (col) => col.notNull())
      .addColumn('reason', 'text', (col) => col.notNull().check(sql`reason in ('spam', 'abuse', 'off_topic', 'other')`))
      .addColumn('note', 'text')
      .addColumn('created_at', sql`timestamptz(3)`, (col) => col.notNull().defaultTo(sql`now()`))
      .addColumn('resolved_at', sql`timestamptz(3)`)
      .addUniqueConstraint('reports_once_per_reader', ['comment_id', 'reporter_id'])
      .execute();
    // The moderation queue reads open reports, oldest first.
    await schema
      .createIndex('reports_open')
      .on('reports')
      .columns(['created_at', 'comment_id'])
      .where(sql.ref('resolved_at'), 'is', null)
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.withSchema('comments').dropTable('reports').execute();
  },
};
