import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Imported history (pnpm parley import): where each imported comment came from, so importing the
 * same file again finds it instead of adding it twice, and the people who wrote it elsewhere —
 * imported authors, who have no account and cannot log in until a real account with the same
 * verified email claims them.
 */
export const imports: Migration = {
  async up(db: Kysely<any>) {
    const schema = db.schema.withSchema('comments');
    await schema
      .createTable('imported_authors')
      .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
      .addColumn('site_id', 'text', (col) => col.notNull().references('sites.id').onDelete('cascade'))
      .addColumn('source', 'text', (col) => col.notNull())
      // The author's identity in the source (a username, an email, or their name when that is all there is).
      .addColumn('source_key', 'text', (col) => col.notNull())
      .addColumn('name', 'text', (col) => col.notNull())
      // Private: never presented, exported only with --include-private, used to match a claim.
      .addColumn('email', 'text')
      .addColumn('claimed_by', 'text')
      .addColumn('claimed_at', sql`timestamptz(3)`)
      .addColumn('created_at', sql`timestamptz(3)`, (col) => col.notNull().defaultTo(sql`now()`))
      .addUniqueConstraint('imported_authors_source_key', ['site_id', 'source', 'source_key'])
      .execute();
    await schema.createIndex('imported_authors_by_email').on('imported_authors').expression(sql`lower(email)`).where(sql.ref('claimed_by'), 'is', null).execute();

    const comments = schema.alterTable('comments');
    await comments.addColumn('import_source', 'text').execute();
    await schema.alterTable('comments').addColumn('import_id', 'text').execute();
    await sql`alter table comments.comments add constraint comments_import_key_whole check ((import_source is null) = (import_id is null))`.execute(db);
    await schema
      .createIndex('comments_import_key')
      .on('comments')
      .columns(['article_id', 'import_source', 'import_id'])
      .unique()
      .where(sql.ref('import_id'), 'is not', null)
      .execute();
  },
  async down(db: Kysely<any>) {
    const schema = db.schema.withSchema('comments');
    await schema.dropIndex('comments_import_key').execute();
    await sql`alter table comments.comments drop constraint comments_import_key_whole`.execute(db);
    await schema.alterTable('comments').dropColumn('import_id').execute();
    await schema.alterTable('comments').dropColumn('import_source').execute();
    await schema.dropTable('imported_authors').execute();
  },
};
