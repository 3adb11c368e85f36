import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Article urls are http(s) only from now on (the request schema refuses others). Urls stored
 * before that rule — `javascript:`, `data:`, `file:` — are forgotten rather than left for the
 * console to put in an href. Nothing to undo: the old values were never safe to show.
 */
export const articleUrls: Migration = {
  async up(db: Kysely<any>) {
    await sql`update comments.articles set url = null where url is not null and url !~* '^https?://'`.execute(db);
  },
  async down() {},
};
