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
      expect(await tables()).toEqual(['article_events', 'article_follows', 'articles', 'bans', 'comments', 'follow_digest_items', 'imported_authors', 'moderation_actions', 'notification_cursor', 'reactions', 'reports', 'sites', 'word_lists']);
      expect(await migrateDownAll(db, schema, migrations)).toEqual(Object.keys(migrations).reverse());
      expect(await tables()).toEqual([]);
      await migrateToLatest(db, schema, migrations);
      expect(await tables()).toEqual(['article_events', 'article_follows', 'articles', 'bans', 'comments', 'follow_digest_items', 'imported_authors', 'moderation_actions', 'notification_cursor', 'reactions', 'reports', 'sites', 'word_lists']);
    } finally {
      await close();
    }
  });

  it('are named with a timestamp prefix so they apply in order', () => {
    for (const name of Object.keys(migrations)) expect(name).toMatch(/^\d{4}_\d{2}_\d{2}_\d{4}_[a-z_]+$/);
    expect(Object.keys(migrations)).toEqual([...Object.keys(migrations)].sort());
  });
});
