import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The client addresses each account logged in from successfully (hashed with the account id), so
 * bad attempts from elsewhere cannot lock the owner out from where they usually log in (ADR 0009).
 */
export const migration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .withSchema('auth')
      .createTable('login_addresses')
      .addColumn('user_id', 'uuid', (col) => col.notNull().references('auth.users.id').onDelete('cascade'))
      .addColumn('address_hash', 'text', (col) => col.notNull())
      .addColumn('last_success_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .addPrimaryKeyConstraint('login_addresses_pkey', ['user_id', 'address_hash'])
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.withSchema('auth').dropTable('login_addresses').execute();
  },
};
