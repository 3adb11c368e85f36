import type { Db } from '../database/tables';

/** True when the reaction is new (false when this user had already reacted). */
export async function insertReaction(trx: Db, commentId: string, userId: string, at: Date): Promise<boolean> {
  const row = await trx
    .insertInto('reactions')
    .values({ comment_id: commentId, user_id: userId, created_at: at })
    .onConflict((oc) => oc.columns(['comment_id', 'user_id']).doNothing())
    .returning('comment_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** True when a reaction was there to remove. */
export async function deleteReaction(trx: Db, commentId: string, userId: string): Promise<boolean> {
  const row = await trx
    .deleteFrom('reactions')
    .where('comment_id', '=', commentId)
    .where('user_id', '=', userId)
    .returning('comment_id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function adjustReactionCount(trx: Db, commentId: string, delta: number): Promise<number> {
  const row = await trx
    .updateTable('comments')
    .set((eb) => ({ reaction_count: eb('reaction_count', '+', delta) }))
    .where('id', '=', commentId)
    .returning('reaction_count')
    .executeTakeFirstOrThrow();
  return row.reaction_count;
}

/** Which of these comments the user reacted to. */
export async function listReactedCommentIds(db: Db, commentIds: string[], userId: string): Promise<Set<string>> {
  if (commentIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('reactions')
    .select('comment_id')
    .where('user_id', '=', userId)
    .where('comment_id', 'in', commentIds)
    .execute();
  return new Set(rows.map((row) => row.comment_id));
}
