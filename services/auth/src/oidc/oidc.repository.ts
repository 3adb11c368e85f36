import type { Insertable, Kysely, Selectable } from 'kysely';
import type { AuthDatabase, OidcHandoffsTable, OidcLoginsTable, OidcProvidersTable } from '../database/tables';

type Db = Kysely<AuthDatabase>;
export type OidcProviderRow = Selectable<OidcProvidersTable>;
export type OidcLoginRow = Selectable<OidcLoginsTable>;
export type OidcHandoffRow = Selectable<OidcHandoffsTable>;

export async function findOidcProvider(db: Db, siteId: string): Promise<OidcProviderRow | undefined> {
  return db.selectFrom('oidc_providers').selectAll().where('site_id', '=', siteId).executeTakeFirst();
}

/** Sets the site's provider; a missing `client_secret` keeps the stored one (undefined when there is none to keep). */
export async function upsertOidcProvider(
  db: Db,
  row: Omit<Insertable<OidcProvidersTable>, 'client_secret'> & { client_secret: string | undefined; updated_at: Date },
): Promise<OidcProviderRow | undefined> {
  if (row.client_secret === undefined) {
    const { issuer, client_id, scopes, label, updated_by, updated_at } = row;
    return db.updateTable('oidc_providers').set({ issuer, client_id, scopes, label, updated_by: updated_by ?? null, updated_at }).where('site_id', '=', row.site_id).returningAll().executeTakeFirst();
  }
  const values = { ...row, client_secret: row.client_secret };
  return db
    .insertInto('oidc_providers')
    .values(values)
    .onConflict((conflict) =>
      conflict.column('site_id').doUpdateSet({
        issuer: values.issuer,
        client_id: values.client_id,
        client_secret: values.client_secret,
        scopes: values.scopes,
        label: values.label,
        updated_by: values.updated_by ?? null,
        updated_at: values.updated_at,
      }),
    )
    .returningAll()
    .executeTakeFirst();
}

export async function deleteOidcProvider(db: Db, siteId: string): Promise<OidcProviderRow | undefined> {
  return db.deleteFrom('oidc_providers').where('site_id', '=', siteId).returningAll().executeTakeFirst();
}

export async function insertOidcLogin(db: Db, login: Insertable<OidcLoginsTable>): Promise<void> {
  await db.insertInto('oidc_logins').values(login).execute();
}

/** Takes the login a callback's state names out of the table: a second callback with it finds nothing. */
export async function spendOidcLogin(db: Db, stateHash: string): Promise<OidcLoginRow | undefined> {
  return db.deleteFrom('oidc_logins').where('state_hash', '=', stateHash).returningAll().executeTakeFirst();
}

export async function insertOidcHandoff(db: Db, handoff: Insertable<OidcHandoffsTable>): Promise<void> {
  await db.insertInto('oidc_handoffs').values(handoff).execute();
}

export async function spendOidcHandoff(db: Db, codeHash: string): Promise<OidcHandoffRow | undefined> {
  return db.deleteFrom('oidc_handoffs').where('code_hash', '=', codeHash).returningAll().executeTakeFirst();
}

/** Logins abandoned at the provider and codes never collected: nothing can use them any more. */
export async function forgetExpiredOidcState(db: Db, before: Date): Promise<void> {
  await db.deleteFrom('oidc_logins').where('expires_at', '<', before).execute();
  await db.deleteFrom('oidc_handoffs').where('expires_at', '<', before).execute();
}
