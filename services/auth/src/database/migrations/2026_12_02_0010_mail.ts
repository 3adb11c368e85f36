import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Mail: the outbox the sender works through (packages/mail/src/outbox.ts), each account's language
 * for mail, and whether its email address is confirmed. Accounts from before verification existed
 * count as confirmed: nobody asked them, and locking them out of posting would be wrong.
 */
export const migration: Migration = {
  async up(db: Kysely<any>) {
    const auth = db.schema.withSchema('auth');
    await auth
      .createTable('mail_outbox')
      .addColumn('id', 'uuid', (col) => col.primaryKey())
      .addColumn('kind', 'text', (col) => col.notNull())
      .addColumn('to_address', 'text', (col) => col.notNull())
      .addColumn('subject', 'text', (col) => col.notNull())
      .addColumn('text_body', 'text')
      .addColumn('html_body', 'text')
      .addColumn('headers', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
      .addColumn('status', 'text', (col) => col.notNull().check(sql`status in ('pending', 'sending', 'sent', 'failed')`))
      .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'timestamptz', (col) => col.notNull())
      .addColumn('claimed_until', 'timestamptz')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .addColumn('sent_at', 'timestamptz')
      .execute();
    // What the sender looks for: mail that waits. Sent mail stays out of the index.
    await auth.createIndex('mail_outbox_due').on('mail_outbox').columns(['next_attempt_at']).where(sql.ref('status'), 'in', sql`('pending', 'sending')`).execute();
    await auth
      .alterTable('users')
      .addColumn('email_verified_at', 'timestamptz')
      .addColumn('locale', 'text', (col) => col.notNull().defaultTo('en'))
      .execute();
    await sql`update auth.users set email_verified_at = created_at where password_hash is not null`.execute(db);
  },
  async down(db: Kysely<any>) {
    const auth = db.schema.withSchema('auth');
    await auth.alterTable('users').dropColumn('locale').dropColumn('email_verified_at').execute();
    await auth.dropTable('mail_outbox').execute();
  },
};
