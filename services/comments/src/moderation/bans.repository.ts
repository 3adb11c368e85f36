import { sql } from 'kysely';
import type { BanRow, Db } from '../database/tables';
import type { KeysetPosition } from '../threads/cursor';

/** Active = not lifted, and permanent or not yet over. */
const active = (now: Date) => sql<boolean>`(until is null or until > ${now})`;

/** The user's active ban on the site, if any: one lookup on the partial unique index (site_id, user_id). */
export async function findActiveBan(db: Db, siteId: string, userId: string, now: Date): Promise<BanRow | undefined> {
  return db
    .selectFrom('bans')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('user_id', '=', userId)
    .where('lifted_at', 'is', null)
    .where(active(now))
    .executeTakeFirst();
}

/** Bans the user from the site, replacing any earlier unlifted ban (expired or not). */
export async function replaceBan(
  trx: Db,
  ban: { siteId: string; userId: string; reason: string; until: Date | null; moderator: { id: string; name: string }; at: Date },
): Promise<BanRow> {
  await trx
    .updateTable('bans')
    .set({ lifted_at: ban.at })
    .where('site_id', '=', ban.siteId)
    .where('user_id', '=', ban.userId)
    .where('lifted_at', 'is', null)
    .execute();
  return trx
    .insertInto('bans')
    .values({
      site_id: ban.siteId,
      user_id: ban.userId,
      reason: ban.reason,
      until: ban.until,
      moderator_id: ban.moderator.id,
      moderator_name: ban.moderator.name,
      created_at: ban.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Lifts the user's active ban; undefined when there was none. */
export async function liftBan(trx: Db, siteId: string, userId: string, now: Date): Promise<BanRow | undefined> {
  return trx
    .updateTable('bans')
    .set({ lifted_at: now })
    .where('site_id', '=', siteId)
    .where('user_id', '=', userId)
    .where('lifted_at', 'is', null)
    .where(active(now))
    .returningAll()
    .executeTakeFirst();
}

/** A site's active bans, newest first. */
export async function listActiveBans(
  db: Db,
  siteId: string,
  page: { now: Date; limit: number; after?: KeysetPosition | undefined },
): Promise<BanRow[]> {
  let query = db.selectFrom('bans').selectAll().where('site_id', '=', siteId).where('lifted_at', 'is', null).where(active(page.now));
  const after = page.after;
  if (after) query = query.where((eb) => eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(after.createdAt, after.id)));
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit).execute();
}

/** Which of these (user, site) pairs are banned right now: one query for a whole queue page. */
export async function listBannedPairs(db: Db, pairs: { userId: string; siteId: string }[], now: Date): Promise<Set<string>> {
  if (pairs.length === 0) return new Set();
  const rows = await db
    .selectFrom('bans')
    .select(['user_id', 'site_id'])
    .where('user_id', 'in', [...new Set(pairs.map((pair) => pair.userId))])
    .where('site_id', 'in', [...new Set(pairs.map((pair) => pair.siteId))])
    .where('lifted_at', 'is', null)
    .where(active(now))
    .execute();
  return new Set(rows.map((row) => `${row.user_id}/${row.site_id}`));
}

/** The name each user last commented under (on any site), for lists that show people by name. */
export async function lastKnownNames(db: Db, userIds: string[]): Promise<Map<string, string>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('comments')
    .select(['author_id', 'author_name'])
    .distinctOn('author_id')
    .where('author_id', 'in', [...new Set(userIds)])
    .orderBy('author_id')
    .orderBy('created_at', 'desc')
    .execute();
  return new Map(rows.map((row) => [row.author_id, row.author_name]));
}

/** A user's active bans on these sites (undefined: every site), newest first. */
export async function listUserBans(db: Db, userId: string, siteIds: readonly string[] | undefined, now: Date): Promise<BanRow[]> {
  let query = db.selectFrom('bans').selectAll().where('user_id', '=', userId).where('lifted_at', 'is', null).where(active(now));
  if (siteIds !== undefined) query = query.where('site_id', 'in', siteIds.length > 0 ? [...siteIds] : ['']);
  return query.orderBy('created_at', 'desc').limit(100).execute();
}
