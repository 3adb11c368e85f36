import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Publisher single sign-on. Accounts may now come from a publisher (`identity_issuer` =
 * `sso:<site>`, or an OpenID Connect issuer) instead of a Parley password: such an account has no
 * password and no login email (`email_normalized` null, so a publisher can never claim a Parley
 * account by asserting its address), and is found by (issuer, subject). Each site's keys, the
 * sign-on tokens already used (replay), and an audit trail of key changes live here too.
 */
export const migration: Migration = {
  async up(db: Kysely<any>) {
    const auth = db.schema.withSchema('auth');
    await auth
      .alterTable('users')
      .alterColumn('password_hash', (col) => col.dropNotNull())
      .alterColumn('email_normalized', (col) => col.dropNotNull())
      .addColumn('identity_issuer', 'text')
      .addColumn('identity_subject', 'text')
      .addColumn('identity_site', 'text')
      .addColumn('identity_updated_at', 'timestamptz')
      .addColumn('avatar_url', 'text')
      .addColumn('badge', 'text')
      .execute();
    // Only an account a publisher vouches for may lack a password or a login email.
    await sql`alter table auth.users add constraint users_password_or_identity_check
      check ((password_hash is not null and email_normalized is not null) or identity_issuer is not null)`.execute(db);
    // NULLs are distinct, so Parley's own accounts (no issuer) never collide here.
    await auth.createIndex('users_identity_key').on('users').columns(['identity_issuer', 'identity_subject']).unique().execute();

    await auth
      .createTable('sso_keys')
      .addColumn('id', 'uuid', (col) => col.primaryKey())
      .addColumn('site_id', 'text', (col) => col.notNull())
      .addColumn('kid', 'text', (col) => col.notNull())
      .addColumn('kind', 'text', (col) => col.notNull().check(sql`kind in ('secret', 'jwks')`))
      .addColumn('secret', 'text')
      .addColumn('jwks_url', 'text')
      .addColumn('created_by', 'uuid', (col) => col.references('auth.users.id').onDelete('set null'))
      .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .addCheckConstraint('sso_keys_material_check', sql`(kind = 'secret' and secret is not null) or (kind = 'jwks' and jwks_url is not null)`)
      .addUniqueConstraint('sso_keys_site_kid_key', ['site_id', 'kid'])
      .execute();

    await auth
      .createTable('sso_seen_tokens')
      .addColumn('site_id', 'text', (col) => col.notNull())
      .addColumn('jti', 'text', (col) => col.notNull())
      .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
      .addPrimaryKeyConstraint('sso_seen_tokens_pkey', ['site_id', 'jti'])
      .execute();
    await auth.createIndex('sso_seen_tokens_expires_at_idx').on('sso_seen_tokens').column('expires_at').execute();

    await auth
      .createTable('audit_log')
      .addColumn('id', 'uuid', (col) => col.primaryKey())
      .addColumn('at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .addColumn('actor_id', 'uuid')
      .addColumn('action', 'text', (col) => col.notNull())
      .addColumn('site_id', 'text')
      .addColumn('target', 'text')
      .addColumn('details', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
      .execute();
    await auth.createIndex('audit_log_site_at_idx').on('audit_log').columns(['site_id', 'at']).execute();
  },
  async down(db: Kysely<any>) {
    const auth = db.schema.withSchema('auth');
    await auth.dropTable('audit_log').execute();
    await auth.dropTable('sso_seen_tokens').execute();
    await auth.dropTable('sso_keys').execute();
    await auth.dropIndex('users_identity_key').execute();
    // Publisher accounts cannot survive without a password; the older schema has no room for them.
    await sql`delete from auth.users where identity_issuer is not null`.execute(db);
    await sql`alter table auth.users drop constraint users_password_or_identity_check`.execute(db);
    await auth
      .alterTable('users')
      .dropColumn('identity_issuer')
      .dropColumn('identity_subject')
      .dropColumn('identity_site')
      .dropColumn('identity_updated_at')
      .dropColumn('avatar_url')
      .dropColumn('badge')
      .alterColumn('password_hash', (col) => col.setNotNull())
      .alterColumn('email_normalized', (col) => col.setNotNull())
      .execute();
  },
};
