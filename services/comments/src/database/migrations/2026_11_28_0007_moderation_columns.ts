import { sql, type Kysely, type Migration } from 'kysely';

/**
 * What moderation needs on existing tables: an article's premoderation override; when a comment
 * was first shown to readers (null = never, so a rejected or withdrawn pending comment leaves no
 * trace in the thread); and a denormalized count of open reports with the time of the first one,
 * so the reported queue is a keyset walk of one partial index instead of a GROUP BY over reports.
 */
export const moderationColumns: Migration = {
  async up(db: Kysely<any>) {
    const schema = db.schema.withSchema('comments');
    await schema.alterTable('articles').addColumn('premoderation', 'boolean').execute();
    await schema
      .alterTable('comments')
      .addColumn('published_at', sql`timestamptz(3)`)
      .addColumn('open_reports', 'integer', (col) => col.notNull().defaultTo(0).check(sql`open_reports >= 0`))
      .addColumn('reported_at', sql`timestamptz(3)`)
      .execute();
    await sql`update comments.comments set published_at = created_at where status <> 'pending'`.execute(db);
    await sql`
      update comments.comments c set open_reports = r.n, reported_at = r.first
      from (select comment_id, count(*)::int n, min(created_at) first from comments.reports
            where resolved_at is null group by comment_id) r
      where r.comment_id = c.id`.execute(db);
    await schema
      .createIndex('comments_reported_queue')
      .on('comments')
      .columns(['reported_at', 'id'])
      .where(sql.ref('open_reports'), '>', 0)
      .execute();
    await schema
      .createIndex('comments_pending_queue')
      .on('comments')
      .columns(['created_at', 'id'])
      .where(sql.ref('status'), '=', 'pending')
      .execute();
  },
  async down(db: Kysely<any>) {
    const schema = db.schema.withSchema('comments');
    await schema.dropIndex('comments_pending_queue').execute();
    await schema.dropIndex('comments_reported_queue').execute();
    await schema.alterTable('comments').dropColumn('published_at').dropColumn('open_reports').dropColumn('reported_at').execute();
    await schema.alterTable('articles').dropColumn('premoderation').execute();
  },
};
