import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The links Parley mails: confirm an email address, reset a password, confirm a new address. Only
 * a SHA-256 of each token is kept (they are random, so no slow hash is needed); a link is spent by
 * setting `used_at`, so it works once.
 */
export const migration: Migration = {
  async up(db: Kysely<any>) {
    const auth = db.schema.withSchema('auth');
    await auth
      .createTable('email_links')
      .addColumn('token_hash', 'text', (col) => col.primaryKey())
      .addColumn('user_id', 'uuid', (col) => col.notNull().references('auth.users.id').onDelete('cascade'))
      .addColumn('purpose', 'text', (col) => col.notNull().check(sql`purpose in ('verify_email', 'password_reset', 'email_change')`))
      .addColumn('email', 'text', (col) => col.notNull())
      .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
      .addColumn('used_at', 'timestamptz')
      .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .execute();
    await auth.createIndex('email_links_user').on('email_links').columns(['user_id', 'purpose']).execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.withSchema('auth').dropTable('email_links').execute();
  },
};
