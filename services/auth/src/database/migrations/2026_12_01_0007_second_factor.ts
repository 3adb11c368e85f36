import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Staff second factor: one authenticator app (TOTP) per account, with the last time step a code
 * was accepted for (a code is never accepted twice), and the account's one-time recovery codes.
 */
export const migration: Migration = {
  async up(db: Kysely<any>) {
    const auth = db.schema.withSchema('auth');
    await auth
      .createTable('second_factors')
      .addColumn('user_id', 'uuid', (col) => col.primaryKey().references('auth.users.id').onDelete('cascade'))
      .addColumn('totp_secret', 'text', (col) => col.notNull())
      .addColumn('confirmed_at', 'timestamptz')
      .addColumn('last_used_step', 'bigint')
      .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .execute();
    await auth
      .createTable('recovery_codes')
      .addColumn('user_id', 'uuid', (col) => col.notNull().references('auth.users.id').onDelete('cascade'))
      .addColumn('code_hash', 'text', (col) => col.notNull())
      .addColumn('used_at', 'timestamptz')
      .addPrimaryKeyConstraint('recovery_codes_pkey', ['user_id', 'code_hash'])
      .execute();
  },
  async down(db: Kysely<any>) {
    const auth = db.schema.withSchema('auth');
    await auth.dropTable('recovery_codes').execute();
    await auth.dropTable('second_factors').execute();
  },
};
