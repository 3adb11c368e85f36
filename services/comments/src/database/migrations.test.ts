import { sql } from 'kysely';
import { migrateDownAll, migrateToLatest, openPrivateDatabase } from '@parley/db';
import { migrations, schema } from './index';

describe('comments migrations', () => {
  it('go up, all the way down, and up again', async () => {
    const { db, close } = await openPrivateDatabase();
    const tables = async () =>
      (
        await sql<{ table_name: string }>`
          select table_name from information_schema.tables
          where table_schema = ${schema} and table_name not like 'kysely_migration%'
          order by table_name`.execute(db)
      ).rows.map((row) => row.table_name);
    try {
      expect(await migrateToLatest(db, schema, migrations)).toEqual(Object.keys(migrations));
      expect(await tables()).toEqual(['article_events', 'article_follows', 'articles', 'bans', 'comments', 'follow_digest_items', 'import_jobs', 'imported_authors', 'moderation_actions', 'notification_cursor', 'reactions', 'reports', 'sites', 'word_lists']);
      expect(await migrateDownAll(db, schema, migrations)).toEqual(Object.keys(migrations).reverse());
      expect(await tables()).toEqual([]);
      await migrateToLatest(db, schema, migrations);
      expect(await tables()).toEqual(['article_events', 'article_follows', 'articles', 'bans', 'comments', 'follow_digest_items', 'import_jobs', 'imported_authors', 'moderation_actions', 'notification_cursor', 'reactions', 'reports', 'sites', 'word_lists']);
    } finally {
      await close();
    }
  });

  it('give comments removed before 0101 the reason of their latest removal in the log', async () => {
    const { db, close } = await openPrivateDatabase();
    const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '2026_12_07_0101'));
    try {
      await migrateToLatest(db, schema, before);
      await sql`insert into comments.sites (id, name) values ('s', 'S')`.execute(db);
      const article = (await sql<{ id: string }>`insert into comments.articles (site_id, key) values ('s', 'a') returning id`.execute(db)).rows[0]!.id;
      const comment = async (status: string) =>
        (
          await sql<{ id: string }>`insert into comments.comments (article_id, depth, author_id, author_name, body, html, status, published_at)
            values (${article}, 0, 'u1', 'Bob', 'x', '<p>x</p>', ${status}, now()) returning id`.execute(db)
        ).rows[0]!.id;
      const [once, twice, all, restored] = [await comment('removed'), await comment('removed'), await comment('removed'), await comment('published')];
      const log = (action: string, type: string, target: string, reason: string, at: string, details = {}) =>
        sql`insert into comments.moderation_actions (moderator_id, moderator_name, action, target_type, target_id, site_id, reason, details, created_at)
          values ('m', 'Mod', ${action}, ${type}, ${target}, 's', ${reason}, ${JSON.stringify(details)}::jsonb, ${at}::timestamptz)`.execute(db);
      await log('comment.remove', 'comment', once, 'Spam', '2026-12-01T10:00:00Z');
      await log('comment.remove', 'comment', twice, 'Spam', '2026-12-01T10:00:00Z');
      await log('comment.remove', 'comment', twice, 'Off topic', '2026-12-01T11:00:00Z');
      await log('user.remove_all', 'user', 'u1', 'Ban evasion', '2026-12-01T12:00:00Z', { commentIds: [all] });
      await log('comment.remove', 'comment', restored, 'Spam', '2026-12-01T10:00:00Z');
      await migrateToLatest(db, schema, migrations);
      const rows = await sql<{ id: string; removal_reason: string | null }>`select id, removal_reason from comments.comments`.execute(db);
      expect(new Map(rows.rows.map((row) => [row.id, row.removal_reason]))).toEqual(
        new Map([
          [once, 'Spam'],
          [twice, 'Off topic'],
          [all, 'Ban evasion'],
          [restored, null],
        ]),
      );
    } finally {
      await close();
    }
  });

  it('are named with a timestamp prefix so they apply in order', () => {
    for (const name of Object.keys(migrations)) expect(name).toMatch(/^\d{4}_\d{2}_\d{2}_\d{4}_[a-z_]+$/);
    expect(Object.keys(migrations)).toEqual([...Object.keys(migrations)].sort());
  });
});
