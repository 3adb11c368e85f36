import type { Insertable, Kysely, Selectable } from 'kysely';
import type { AuditLogTable, AuthDatabase, SsoKeysTable } from '../database/tables';

type Db = Kysely<AuthDatabase>;
export type SsoKeyRow = Selectable<SsoKeysTable>;

/** Adds a key; undefined when the site already has one with that kid. */
export async function insertSsoKey(db: Db, key: Insertable<SsoKeysTable>): Promise<SsoKeyRow | undefined> {
  return db
    .insertInto('sso_keys')
    .values(key)
    .onConflict((conflict) => conflict.columns(['site_id', 'kid']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function listSsoKeys(db: Db, siteId: string): Promise<SsoKeyRow[]> {
  return db.selectFrom('sso_keys').selectAll().where('site_id', '=', siteId).orderBy('created_at').orderBy('kid').execute();
}

export async function findSsoKey(db: Db, siteId: string, kid: string): Promise<SsoKeyRow | undefined> {
  return db.selectFrom('sso_keys').selectAll().where('site_id', '=', siteId).where('kid', '=', kid).executeTakeFirst();
}

/** The site's keys that are the publisher's JWKS: a token's kid names a key inside one of them. */
export async function listJwksKeys(db: Db, siteId: string): Promise<SsoKeyRow[]> {
  return db.selectFrom('sso_keys').selectAll().where('site_id', '=', siteId).where('kind', '=', 'jwks').orderBy('created_at').execute();
}

export async function deleteSsoKey(db: Db, siteId: string, kid: string): Promise<SsoKeyRow | undefined> {
  return db.deleteFrom('sso_keys').where('site_id', '=', siteId).where('kid', '=', kid).returningAll().executeTakeFirst();
}

export async function insertAuditEntry(db: Db, entry: Insertable<AuditLogTable>): Promise<void> {
  await db.insertInto('audit_log').values(entry).execute();
}
