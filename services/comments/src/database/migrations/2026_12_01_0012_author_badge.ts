import type { Kysely, Migration } from 'kysely';

/**
 * The badge a publisher's sign-on gave the author ("Subscriber"), as it was when they posted:
 * taken from the access token like `author_name`, shown beside the name.
 */
export const authorBadge: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.withSchema('comments').alterTable('comments').addColumn('author_badge', 'text').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.withSchema('comments').alterTable('comments').dropColumn('author_badge').execute();
  },
};
