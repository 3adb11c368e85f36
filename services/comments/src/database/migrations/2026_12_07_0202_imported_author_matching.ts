import { sql, type Kysely, type Migration } from 'kysely';

/**
 * When an imported author with an email is next to be matched against the accounts that confirmed
 * that address (imports/account-matcher.ts): now for every author there is (this migration) and
 * every author imported from now on, null once asked. An author imported after its reader
 * confirmed is claimed this way; one imported before is claimed when the reader confirms.
 */
export const importedAuthorMatching: Migration = {
  async up(db: Kysely<any>) {
    const schema = db.schema.withSchema('comments');
    await schema.alterTable('imported_authors').addColumn('account_match_due', sql`timestamptz(3)`, (col) => col.defaultTo(sql`now()`)).execute();
    await sql`update comments.imported_authors set account_match_due = null where email is null or claimed_by is not null`.execute(db);
    await schema.createIndex('imported_authors_match_due').on('imported_authors').column('account_match_due').where(sql.ref('account_match_due'), 'is not', null).execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.withSchema('comments').dropIndex('imported_authors_match_due').execute();
    await db.schema.withSchema('comments').alterTable('imported_authors').dropColumn('account_match_due').execute();
  },
};
