import { sql } from 'kysely';
import type { SiteSettings } from '@parley/contracts';
import type { Db, SiteRow } from '../database/tables';

export interface NewSite {
  id: string;
  name?: string;
  origins?: string[];
  settings?: SiteSettings;
}

export async function findSite(db: Db, id: string): Promise<SiteRow | undefined> {
  return db.selectFrom('sites').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Adds a site; fails if the id is taken. Tests use it to make a site of their own. */
export async function createSite(db: Db, site: NewSite): Promise<SiteRow> {
  return db
    .insertInto('sites')
    .values({ id: site.id, name: site.name ?? site.id, allowed_origins: site.origins ?? [], settings: site.settings ?? {} })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Adds a site or brings an existing one's name, origins and settings up to date. */
export async function upsertSite(db: Db, site: NewSite): Promise<SiteRow> {
  return db
    .insertInto('sites')
    .values({ id: site.id, name: site.name ?? site.id, allowed_origins: site.origins ?? [], settings: site.settings ?? {} })
    .onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({
        name: eb.ref('excluded.name'),
        allowed_origins: eb.ref('excluded.allowed_origins'),
        settings: eb.ref('excluded.settings'),
      })),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Every origin any site allows, each once. */
export async function listAllowedOrigins(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('sites')
    .select(sql<string>`unnest(allowed_origins)`.as('origin'))
    .distinct()
    .orderBy('origin')
    .execute();
  return rows.map((row) => row.origin);
}

/** Adds a site unless the id is taken (then undefined: the caller answers 409). */
export async function insertSiteIfNew(db: Db, site: Required<NewSite>): Promise<SiteRow | undefined> {
  return db
    .insertInto('sites')
    .values({ id: site.id, name: site.name, allowed_origins: site.origins, settings: site.settings })
    .onConflict((oc) => oc.column('id').doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** Sites by id, in id order; all of them when `ids` is undefined. */
export async function listSites(db: Db, ids?: readonly string[]): Promise<SiteRow[]> {
  let query = db.selectFrom('sites').selectAll().orderBy('id');
  if (ids !== undefined) query = query.where('id', 'in', ids.length > 0 ? [...ids] : ['']);
  return query.execute();
}

/** The site row, locked for the rest of the transaction (two admins saving at once apply in turn). */
export async function lockSite(trx: Db, id: string): Promise<SiteRow | undefined> {
  return trx.selectFrom('sites').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function updateSite(trx: Db, id: string, site: { name: string; origins: string[]; settings: SiteSettings }): Promise<SiteRow> {
  return trx
    .updateTable('sites')
    .set({ name: site.name, allowed_origins: site.origins, settings: site.settings })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
