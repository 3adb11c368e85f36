import { sql, type Kysely, type Migration } from 'kysely';

/**
 * OpenID Connect login per site: the site's provider (the client secret kept here, answered never),
 * the logins in flight (state → nonce and PKCE verifier, single use, minutes long) and the codes
 * the callback hands a publisher's page to exchange for a session (single use, stored hashed).
 */
export const migration: Migration = {
  async up(db: Kysely<any>) {
    const auth = db.schema.withSchema('auth');
    await auth
      .createTable('oidc_providers')
      .addColumn('site_id', 'text', (col) => col.primaryKey())
      .addColumn('issuer', 'text', (col) => col.notNull())
      .addColumn('client_id', 'text', (col) => col.notNull())
      .addColumn('client_secret', 'text', (col) => col.notNull())
      .addColumn('scopes', 'text', (col) => col.notNull())
      .addColumn('label', 'text', (col) => col.notNull())
      .addColumn('updated_by', 'uuid', (col) => col.references('auth.users.id').onDelete('set null'))
      .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .execute();

    await auth
      .createTable('oidc_logins')
      .addColumn('state_hash', 'text', (col) => col.primaryKey())
      .addColumn('site_id', 'text', (col) => col.notNull())
      .addColumn('issuer', 'text', (col) => col.notNull())
      .addColumn('nonce', 'text', (col) => col.notNull())
      .addColumn('code_verifier', 'text', (col) => col.notNull())
      .addColumn('redirect_uri', 'text', (col) => col.notNull())
      .addColumn('origin', 'text', (col) => col.notNull())
      .addColumn('return_url', 'text')
      .addColumn('mode', 'text', (col) => col.notNull().check(sql`mode in ('popup', 'redirect')`))
      .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
      .execute();
    await auth.createIndex('oidc_logins_expires_at_idx').on('oidc_logins').column('expires_at').execute();

    await auth
      .createTable('oidc_handoffs')
      .addColumn('code_hash', 'text', (col) => col.primaryKey())
      .addColumn('site_id', 'text', (col) => col.notNull())
      .addColumn('user_id', 'uuid', (col) => col.notNull().references('auth.users.id').onDelete('cascade'))
      .addColumn('origin', 'text', (col) => col.notNull())
      .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
      .execute();
    await auth.createIndex('oidc_handoffs_expires_at_idx').on('oidc_handoffs').column('expires_at').execute();
  },
  async down(db: Kysely<any>) {
    const auth = db.schema.withSchema('auth');
    await auth.dropTable('oidc_handoffs').execute();
    await auth.dropTable('oidc_logins').execute();
    await auth.dropTable('oidc_providers').execute();
  },
};
