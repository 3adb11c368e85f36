import type { ModerationActionType } from '@parley/contracts';
import { sql } from 'kysely';
import type { Db, ModerationActionRow } from '../database/tables';
import type { KeysetPosition } from '../threads/cursor';

export interface NewModerationAction {
  moderator: { id: string; name: string };
  action: ModerationActionType;
  target: { type: ModerationActionRow['target_type']; id: string };
  siteId: string | null;
  reason?: string | null | undefined;
  details?: Record<string, unknown>;
  at: Date;
}

/** Writes one log row; always called inside the transaction of the action it describes. */
export async function insertModerationAction(trx: Db, action: NewModerationAction): Promise<void> {
  await trx
    .insertInto('moderation_actions')
    .values({
      moderator_id: action.moderator.id,
      moderator_name: action.moderator.name,
      action: action.action,
      target_type: action.target.type,
      target_id: action.target.id,
      site_id: action.siteId,
      reason: action.reason ?? null,
      details: action.details ?? {},
      created_at: action.at,
    })
    .execute();
}

/** Newest first, keyset on (created_at, id); one index serves each of "all sites" and "one site". */
export async function listModerationActions(
  db: Db,
  page: { siteIds?: readonly string[] | undefined; limit: number; after?: KeysetPosition | undefined },
): Promise<ModerationActionRow[]> {
  let query = db.selectFrom('moderation_actions').selectAll();
  if (page.siteIds !== undefined) query = query.where('site_id', 'in', page.siteIds.length > 0 ? [...page.siteIds] : ['']);
  const after = page.after;
  if (after) query = query.where((eb) => eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(after.createdAt, after.id)));
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit).execute();
}

/**
 * The newest log rows about a person: actions on them (bans, notes) and on their comments, in
 * the sites in view (undefined: all).
 */
export async function listActionsAboutUser(
  db: Db,
  userId: string,
  page: { siteIds?: readonly string[] | undefined; limit: number; only?: ModerationActionType | undefined },
): Promise<ModerationActionRow[]> {
  let query = db
    .selectFrom('moderation_actions')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb.and([eb('target_type', '=', 'user'), eb('target_id', '=', userId)]),
        eb.and([
          eb('target_type', '=', 'comment'),
          eb('target_id', 'in', eb.selectFrom('comments').select(sql<string>`id::text`.as('id')).where('author_id', '=', userId)),
        ]),
      ]),
    );
  if (page.only) query = query.where('action', '=', page.only);
  if (page.siteIds !== undefined) query = query.where('site_id', 'in', page.siteIds.length > 0 ? [...page.siteIds] : ['']);
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit).execute();
}
