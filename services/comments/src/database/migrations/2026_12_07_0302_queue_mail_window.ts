import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Moderators' queue mail (ADR 0022): the notification follower counts, every FOLLOW_DIGEST_MINUTES,
 * the comments that entered the queues since `queue_checked_at` (null until its first pass, which
 * starts the first window instead of mailing about the past).
 */
export const queueMailWindow: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.withSchema('comments').alterTable('notification_cursor').addColumn('queue_checked_at', sql`timestamptz(3)`).execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.withSchema('comments').alterTable('notification_cursor').dropColumn('queue_checked_at').execute();
  },
};
