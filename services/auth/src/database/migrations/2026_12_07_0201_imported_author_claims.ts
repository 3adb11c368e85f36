import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Claims of imported authors waiting to be handed to the comments service: written in the
 * transaction that confirms an address, sent after it commits, retried until comments answers.
 */
export const migration: Migration = {
  async up(db: Kysely<any>) {
    const auth = db.schema.withSchema('auth');
    await auth
      .createTable('imported_author_claims')
      .addColumn('id', 'uuid', (col) => col.primaryKey())
      .addColumn('user_id', 'uuid', (col) => col.notNull().references('users.id').onDelete('cascade'))
      .addColumn('email', 'text', (col) => col.notNull())
      .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('due_at', 'timestamptz', (col) => col.notNull())
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .addUniqueConstraint('imported_author_claims_user_email', ['user_id', 'email'])
      .execute();
    await auth.createIndex('imported_author_claims_due').on('imported_author_claims').column('due_at').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.withSchema('auth').dropTable('imported_author_claims').execute();
  },
};
