import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Mail about discussions, read from the `article_events` log (ADR 0022):
 * - each event records the transaction that wrote it (`txid`, a default, so no write path changes,
 *   the single posting statement included). A follower reads the log in (txid, article, seq) order
 *   and only below the oldest transaction still running, so a later commit can never land behind
 *   its cursor. Events written before this migration have none and are never mailed about.
 * - `notification_cursor`: where the follower stands, and which node holds the lease to follow.
 * - `article_follows`: readers following a discussion; `follow_digest_items`: new comments waiting
 *   for a follower's next digest (`due_at`, one batch per follower and article).
 */
export const notificationFollower: Migration = {
  async up(db: Kysely<any>) {
    // Nullable with the default set afterwards: existing rows stay null (no table rewrite, no
    // mail about old replies); new rows get the writing transaction's id.
    await sql`alter table comments.article_events add column txid xid8`.execute(db);
    await sql`alter table comments.article_events alter column txid set default pg_current_xact_id()`.execute(db);
    await sql`create index article_events_created_by_txid on comments.article_events (txid, article_id, seq) where txid is not null and type = 'comment:created'`.execute(db);

    await db.schema
      .withSchema('comments')
      .createTable('notification_cursor')
      .addColumn('name', 'text', (col) => col.primaryKey())
      .addColumn('txid', sql`xid8`, (col) => col.notNull().defaultTo(sql`'0'::xid8`))
      .addColumn('article_id', 'uuid', (col) => col.notNull().defaultTo(sql`'00000000-0000-0000-0000-000000000000'::uuid`))
      .addColumn('seq', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('holder', 'text')
      .addColumn('lease_until', sql`timestamptz(3)`)
      .execute();
    await sql`insert into comments.notification_cursor (name) values ('notifications')`.execute(db);

    await db.schema
      .withSchema('comments')
      .createTable('article_follows')
      .addColumn('article_id', 'uuid', (col) => col.notNull().references('articles.id').onDelete('cascade'))
      .addColumn('user_id', 'uuid', (col) => col.notNull())
      .addColumn('created_at', sql`timestamptz(3)`, (col) => col.notNull().defaultTo(sql`now()`))
      .addPrimaryKeyConstraint('article_follows_pkey', ['article_id', 'user_id'])
      .execute();
    await db.schema.withSchema('comments').createIndex('article_follows_by_user').on('article_follows').columns(['user_id']).execute();

    await db.schema
      .withSchema('comments')
      .createTable('follow_digest_items')
      .addColumn('user_id', 'uuid', (col) => col.notNull())
      .addColumn('article_id', 'uuid', (col) => col.notNull().references('articles.id').onDelete('cascade'))
      .addColumn('comment_id', 'uuid', (col) => col.notNull().references('comments.id').onDelete('cascade'))
      .addColumn('due_at', sql`timestamptz(3)`, (col) => col.notNull())
      .addPrimaryKeyConstraint('follow_digest_items_pkey', ['user_id', 'comment_id'])
      .execute();
    await db.schema.withSchema('comments').createIndex('follow_digest_items_due').on('follow_digest_items').columns(['due_at']).execute();
    await db.schema.withSchema('comments').createIndex('follow_digest_items_batch').on('follow_digest_items').columns(['user_id', 'article_id', 'due_at']).execute();
  },
  async down(db: Kysely<any>) {
    const comments = db.schema.withSchema('comments');
    await comments.dropTable('follow_digest_items').execute();
    await comments.dropTable('article_follows').execute();
    await comments.dropTable('notification_cursor').execute();
    await sql`drop index if exists comments.article_events_created_by_txid`.execute(db);
    await sql`alter table comments.article_events drop column txid`.execute(db);
  },
};
