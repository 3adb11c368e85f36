import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Accounts. The address is kept as the user typed it (`email`) for display, and lowercased in
 * `email_normalized`, whose unique index makes "Ann@Example.com" and "ann@example.com" one account
 * without needing the citext extension.
 */
export const migration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .withSchema('auth')
      .createTable('users')
      .addColumn('id', 'uuid', (col) => col.primaryKey())
      .addColumn('email', 'text', (col) => col.notNull())
      .addColumn('email_normalized', 'text', (col) => col.notNull())
      .addColumn('password_hash', 'text', (col) => col.notNull())
      .addColumn('display_name', 'text', (col) => col.notNull())
      .addColumn('role', 'text', (col) => col.notNull().defaultTo('reader'))
      .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .addCheckConstraint('users_role_check', sql`role in ('reader', 'moderator', 'admin')`)
      .execute();
    await db.schema
      .withSchema('auth')
      .createIndex('users_email_normalized_key')
      .on('users')
      .column('email_normalized')
      .unique()
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.withSchema('auth').dropTable('users').execute();
  },
};
