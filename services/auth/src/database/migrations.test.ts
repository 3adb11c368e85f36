import { sql } from 'kysely';
import { migrateDownAll, migrateToLatest, openPrivateDatabase } from '@parley/db';
import { migrations, schema } from './index';

describe('auth migrations', () => {
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
      expect(await tables()).toEqual(['audit_log', 'email_links', 'imported_author_claims', 'login_addresses', 'mail_outbox', 'oidc_handoffs', 'oidc_logins', 'oidc_providers', 'recovery_codes', 'refresh_tokens', 'second_factors', 'sso_keys', 'sso_seen_tokens', 'users']);
      expect(await migrateDownAll(db, schema, migrations)).toEqual(Object.keys(migrations).reverse());
      expect(await tables()).toEqual([]);
      await migrateToLatest(db, schema, migrations);
      expect(await tables()).toEqual(['audit_log', 'email_links', 'imported_author_claims', 'login_addresses', 'mail_outbox', 'oidc_handoffs', 'oidc_logins', 'oidc_providers', 'recovery_codes', 'refresh_tokens', 'second_factors', 'sso_keys', 'sso_seen_tokens', 'users']);
    } finally {
      await close();
    }
  });
});
