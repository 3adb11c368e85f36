import type { CommentRow, Db, NewComment } from '../database/tables';

export async function findComment(db: Db, id: string): Promise<CommentRow | undefined> {
  return db.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertComment(trx: Db, comment: NewComment): Promise<CommentRow> {
  return trx.insertInto('comments').values(comment).returningAll().executeTakeFirstOrThrow();
}

/** Direct replies are counted whatever becomes of them later; tombstones keep their place. */
export async function incrementReplyCount(trx: Db, id: string): Promise<void> {
  await trx
    .updateTable('comments')
    .set((eb) => ({ reply_count: eb('reply_count', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

export async function updateCommentBody(
  trx: Db,
  id: string,
  change: { body: string; html: string; editedAt: Date },
): Promise<CommentRow> {
  return trx
    .updateTable('comments')
    .set({ body: change.body, html: change.html, edited_at: change.editedAt })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The author's delete: the row stays (as a tombstone) so replies keep their parent. */
export async function markCommentDeleted(trx: Db, id: string, at: Date): Promise<CommentRow> {
  return trx
    .updateTable('comments')
    .set({ status: 'deleted', deleted_at: at })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
