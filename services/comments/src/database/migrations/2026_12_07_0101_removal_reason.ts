import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Why a moderator removed a comment, kept on the comment while it stays removed, so its author can
 * be told on their tombstone (never on the shared page: docs/adr/0017). Comments removed before
 * this migration take the reason of the latest removal the log holds for them.
 */
export const removalReason: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.withSchema('comments').alterTable('comments').addColumn('removal_reason', 'text').execute();
    await sql`
      update comments.comments c
         set removal_reason = (
           select a.reason from comments.moderation_actions a
            where a.reason is not null
              and ((a.target_type = 'comment' and a.target_id = c.id::text and a.action in ('comment.remove', 'comment.reject'))
                or (a.target_type = 'user' and a.target_id = c.author_id and a.action = 'user.remove_all'
                    and a.details->'commentIds' @> to_jsonb(c.id::text)))
            order by a.created_at desc, a.id desc
            limit 1)
       where c.status = 'removed'`.execute(db);
  },
  async down(db: Kysely<any>) {
    await db.schema.withSchema('comments').alterTable('comments').dropColumn('removal_reason').execute();
  },
};
