import { sql, type Kysely, type Migration } from 'kysely';

/** The console's "Removed" view, newest first, walks its own partial index like the two queues. */
export const removedView: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .withSchema('comments')
      .createIndex('comments_removed_view')
      .on('comments')
      .expression(sql`created_at desc, id desc`)
      .where(sql.ref('status'), '=', 'removed')
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.withSchema('comments').dropIndex('comments_removed_view').execute();
  },
};
