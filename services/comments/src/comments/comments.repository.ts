import type { CommentRow, Db, NewComment } from '../database/tables';

export async function findComment(db: Db, id: string): Promise<CommentRow | undefined> {
  return db.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirst();
}

/** When the article's first comment was posted (undefined before any). */
export async function findFirstCommentAt(db: Db, articleId: string): Promise<Date | undefined> {
  // The first comment is always top level, so the top-level index finds it in one step.
  const first = await db
    .selectFrom('comments')
    .select('created_at')
    .where('article_id', '=', articleId)
    .where('parent_id', 'is', null)
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .limit(1)
    .executeTakeFirst();
  return first?.created_at;
}

/** The author's comments on these articles that have one of `statuses`, oldest first. */
export async function listAuthorCommentsOn(
  db: Db,
  authorId: string,
  articleIds: string[],
  statuses: CommentRow['status'][],
): Promise<CommentRow[]> {
  if (articleIds.length === 0) return [];
  return db
    .selectFrom('comments')
    .selectAll('comments')
    .where('author_id', '=', authorId)
    .where('article_id', 'in', articleIds)
    .where('status', 'in', statuses)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
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

/** Changes a comment's status (and, the first time it is shown to readers, its published_at). */
export async function setCommentStatus(
  trx: Db,
  id: string,
  change: { status: CommentRow['status']; publishedAt?: Date },
): Promise<CommentRow> {
  return trx
    .updateTable('comments')
    .set({ status: change.status, ...(change.publishedAt ? { published_at: change.publishedAt } : {}) })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Counts a new open report on the comment; returns how many are open now. */
export async function addOpenReport(trx: Db, id: string, at: Date): Promise<number> {
  const row = await trx
    .updateTable('comments')
    .set((eb) => ({ open_reports: eb('open_reports', '+', 1), reported_at: eb.fn.coalesce('reported_at', eb.val(at)) }))
    .where('id', '=', id)
    .returning('open_reports')
    .executeTakeFirstOrThrow();
  return row.open_reports;
}

/** Resolves every open report of a comment (it leaves the reported queue); returns how many there were. */
export async function resolveOpenReports(trx: Db, id: string, at: Date): Promise<number> {
  const resolved = await trx
    .updateTable('reports')
    .set({ resolved_at: at })
    .where('comment_id', '=', id)
    .where('resolved_at', 'is', null)
    .executeTakeFirst();
  await trx.updateTable('comments').set({ open_reports: 0, reported_at: null }).where('id', '=', id).execute();
  return Number(resolved.numUpdatedRows);
}
