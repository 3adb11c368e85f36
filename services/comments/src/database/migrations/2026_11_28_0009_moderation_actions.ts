import { sql, type Kysely, type Migration } from 'kysely';

/** The moderation log: one row per moderator action, written in the action's own transaction. */
export const moderationActions: Migration = {
  async up(db: Kysely<any>) {
    const schema = db.schema.withSchema('comments');
    await schema
      .createTable('moderation_actions')
      .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
      .addColumn('moderator_id', 'text', (col) => col.notNull())
      .addColumn('moderator_name', 'text', (col) => col.notNull())
      .addColumn('action', 'text', (col) => col.notNull())
      .addColumn('target_type', 'text', (col) => col.notNull().check(sql`target_type in ('comment', 'user', 'article', 'site')`))
      .addColumn('target_id', 'text', (col) => col.notNull())
      .addColumn('site_id', 'text')
      .addColumn('reason', 'text')
      .addColumn('details', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
      .addColumn('created_at', sql`timestamptz(3)`, (col) => col.notNull().defaultTo(sql`now()`))
      .execute();
    // Newest first, for everything and per site.
    await schema.createIndex('moderation_actions_by_time').on('moderation_actions').expression(sql`created_at desc, id desc`).execute();
    await schema
      .createIndex('moderation_actions_by_site')
      .on('moderation_actions')
      .expression(sql`site_id, created_at desc, id desc`)
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.withSchema('comments').dropTable('moderation_actions').execute();
  },
};
