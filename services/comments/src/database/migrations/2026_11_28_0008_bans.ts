import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Per-site bans. At most one unlifted ban per user and site (a new ban replaces it); a ban is
 * active while it is unlifted and `until` is null (permanent) or in the future. Posting, editing,
 * reacting and reporting look it up through the partial unique index.
 */
export const bans: Migration = {
  async up(db: Kysely<any>) {
    const schema = db.schema.withSchema('comments');
    await schema
      .createTable('bans')
      .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
      .addColumn('site_id', 'text', (col) => col.notNull().references('sites.id').onDelete('cascade'))
      .addColumn('user_id', 'text', (col) => col.notNull())
      .addColumn('reason', 'text', (col) => col.notNull())
      .addColumn('until', sql`timestamptz(3)`)
      .addColumn('moderator_id', 'text', (col) => col.notNull())
      .addColumn('moderator_name', 'text', (col) => col.notNull())
      .addColumn('created_at', sql`timestamptz(3)`, (col) => col.notNull().defaultTo(sql`now()`))
      .addColumn('lifted_at', sql`timestamptz(3)`)
      .execute();
    await schema
      .createIndex('bans_current')
      .on('bans')
      .columns(['site_id', 'user_id'])
      .unique()
      .where(sql.ref('lifted_at'), 'is', null)
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.withSchema('comments').dropTable('bans').execute();
  },
};
