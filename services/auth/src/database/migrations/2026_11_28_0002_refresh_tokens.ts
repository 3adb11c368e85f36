import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Refresh tokens, stored only as a SHA-256 hash. Tokens rotated from one login share a
 * `family_id`, so presenting a spent token can revoke every token descended from that login.
 * Tokens go away with their user (on delete cascade), which makes a deleted account's sessions
 * unknown at once.
 */
export const migration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .withSchema('auth')
      .createTable('refresh_tokens')
      .addColumn('id', 'uuid', (col) => col.primaryKey())
      .addColumn('token_hash', 'text', (col) => col.notNull())
      .addColumn('family_id', 'uuid', (col) => col.notNull())
      .addColumn('user_id', 'uuid', (col) => col.notNull().references('auth.users.id').onDelete('cascade'))
      .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
      .addColumn('used_at', 'timestamptz')
      .addColumn('revoked_at', 'timestamptz')
      .execute();
    await db.schema
      .withSchema('auth')
      .createIndex('refresh_tokens_token_hash_key')
      .on('refresh_tokens')
      .column('token_hash')
      .unique()
      .execute();
    await db.schema.withSchema('auth').createIndex('refresh_tokens_family_id_idx').on('refresh_tokens').column('family_id').execute();
    await db.schema.withSchema('auth').createIndex('refresh_tokens_user_id_idx').on('refresh_tokens').column('user_id').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.withSchema('auth').dropTable('refresh_tokens').execute();
  },
};
