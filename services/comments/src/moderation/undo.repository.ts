import type { Db, ModerationActionRow } from '../database/tables';

/**
 * The newest log row about a comment written since `since` (undo looks back 10 s only, so the
 * walk stays on the newest slice of `moderation_actions_by_time`).
 */
export async function latestActionOnComment(trx: Db, commentId: string, since: Date): Promise<ModerationActionRow | undefined> {
  return trx
    .selectFrom('moderation_actions')
    .selectAll()
    .where('created_at', '>=', since)
    .where('target_type', '=', 'comment')
    .where('target_id', '=', commentId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * Reopens the reports of a comment that one action resolved (they carry its time as
 * `resolved_at`), and puts the comment back on the reported queue; returns how many.
 */
export async function reopenReportsResolvedAt(trx: Db, commentId: string, resolvedAt: Date): Promise<number> {
  const reopened = await trx
    .updateTable('reports')
    .set({ resolved_at: null })
    .where('comment_id', '=', commentId)
    .where('resolved_at', '=', resolvedAt)
    .returning('created_at')
    .execute();
  if (reopened.length === 0) return 0;
  const first = reopened.reduce((a, b) => (a.created_at < b.created_at ? a : b)).created_at;
  await trx
    .updateTable('comments')
    .set((eb) => ({ open_reports: eb('open_reports', '+', reopened.length), reported_at: eb.fn.coalesce('reported_at', eb.val(first)) }))
    .where('id', '=', commentId)
    .execute();
  return reopened.length;
}
