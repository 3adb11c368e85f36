import { randomUUID } from 'node:crypto';
import { connect, migrateToLatest, openPrivateDatabase } from '@parley/db';
import { silentLogger } from '@parley/platform';
import { migrations, schema } from '../database';
import type { CommentsDatabase } from '../database/tables';
import { createSite } from '../sites/sites.repository';
import { startAccountMatcher } from './account-matcher';
import { importedAuthorId } from './imports.repository';

/**
 * Authors imported after their reader confirmed the address: matched against auth's confirmed
 * accounts, retried while auth is away, asked once otherwise. On a database of its own, so no
 * other test's comments node matches these authors first. The HTTP question itself is tested end
 * to end (tests/e2e/imported-author-claim.test.ts).
 */
describe('matching imported authors with confirmed accounts', () => {
  it('claims what an account confirmed, waits while auth is away, and asks about each author once', async () => {
    const database = await openPrivateDatabase();
    await migrateToLatest(database.db, schema, migrations);
    const connection = connect<CommentsDatabase>(database.source);
    const db = connection.withSchema(schema);
    let now = new Date();
    const clock = () => now;
    let authAway = true;
    const asked: string[][] = [];
    const account = randomUUID();
    const matcher = startAccountMatcher({
      db,
      clock,
      logger: silentLogger(),
      pollMs: 3_600_000,
      accounts: async (emails) => {
        asked.push(emails);
        if (authAway) throw new Error('connect ECONNREFUSED');
        return emails.filter((email) => email === 'ada@example.com').map((email) => ({ email, userId: account }));
      },
    });
    try {
      const site = await createSite(db, { id: `site-${randomUUID().slice(0, 8)}`, name: 'Gazette' });
      const author = (sourceKey: string, email: string | null) =>
        db.insertInto('imported_authors').values({ site_id: site.id, source: 'disqus', source_key: sourceKey, name: sourceKey, email }).returning('id').executeTakeFirstOrThrow();
      const ada = await author('ada', 'Ada@Example.com');
      const bob = await author('bob', 'bob@example.com');
      await author('anonymous', null);
      const article = await db.insertInto('articles').values({ site_id: site.id, key: 'old', title: null, url: null }).returning('id').executeTakeFirstOrThrow();
      await db
        .insertInto('comments')
        .values({ article_id: article.id, author_id: importedAuthorId(ada.id), author_name: 'ada', body: 'Old words', html: '<p>Old words</p>', status: 'published', depth: 0 })
        .execute();

      // Imported authors are due at once (the database's now()).
      now = new Date(Date.now() + 1000);
      // Auth is away: nothing is claimed, and the authors wait a minute.
      expect(await matcher.flush()).toEqual({ claimed: 0 });
      expect(asked).toEqual([['ada@example.com', 'bob@example.com']]);
      expect(await matcher.flush()).toEqual({ claimed: 0 });
      expect(asked).toHaveLength(1);

      authAway = false;
      now = new Date(now.getTime() + 61_000);
      expect(await matcher.flush()).toEqual({ claimed: 1 });
      const rows = await db.selectFrom('imported_authors').select(['id', 'claimed_by', 'account_match_due']).where('site_id', '=', site.id).execute();
      expect(rows.find((row) => row.id === ada.id)).toMatchObject({ claimed_by: account, account_match_due: null });
      expect(rows.find((row) => row.id === bob.id)).toMatchObject({ claimed_by: null, account_match_due: null });
      expect(rows.every((row) => row.account_match_due === null)).toBe(true);
      const comment = await db.selectFrom('comments').select('author_id').where('article_id', '=', article.id).executeTakeFirstOrThrow();
      expect(comment.author_id).toBe(account);

      // Asked once: a later pass asks nothing.
      now = new Date(now.getTime() + 3_600_000);
      expect(await matcher.flush()).toEqual({ claimed: 0 });
      expect(asked).toHaveLength(2);
    } finally {
      await matcher.stop();
      await connection.destroy();
      await database.close();
    }
  });
});
