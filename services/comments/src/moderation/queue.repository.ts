import { sql } from 'kysely';
import type { QueueType } from '@parley/contracts';
import type { ArticleRow, CommentRow, Db } from '../database/tables';
import type { KeysetPosition } from '../threads/cursor';

/**
 * The moderation queues, oldest first. Each is a keyset walk of its own partial index:
 * `comments_reported_queue (reported_at, id) where open_reports > 0` and
 * `comments_pending_queue (created_at, id) where status = 'pending'`. The page's details come
 * from a fixed number of batch queries below, never one per item.
 */
export async function listQueue(
  db: Db,
  type: QueueType,
  page: { siteIds?: readonly string[] | undefined; limit: number; after?: KeysetPosition | undefined },
): Promise<CommentRow[]> {
  const key = type === 'reported' ? 'reported_at' : 'created_at';
  let query = db.selectFrom('comments').selectAll('comments');
  query = type === 'reported' ? query.where('open_reports', '>', 0) : query.where('status', '=', 'pending');
  if (page.siteIds !== undefined) {
    // No site in view is an empty page, not every site.
    const siteIds = page.siteIds.length > 0 ? [...page.siteIds] : [''];
    query = query.where('article_id', 'in', (eb) => eb.selectFrom('articles').select('id').where('site_id', 'in', siteIds));
  }
  const after = page.after;
  if (after) query = query.where((eb) => eb(eb.refTuple(key, 'id'), '>', eb.tuple(after.createdAt, after.id)));
  return query.orderBy(key, 'asc').orderBy('id', 'asc').limit(page.limit).execute();
}

export async function findArticlesByIds(db: Db, ids: string[]): Promise<Map<string, ArticleRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('articles').selectAll().where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((row) => [row.id, row]));
}

export async function findCommentsByIds(db: Db, ids: string[]): Promise<Map<string, CommentRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('comments').selectAll().where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((row) => [row.id, row]));
}

export interface OpenReports {
  reasons: Record<string, number>;
  notes: string[];
}

/** Open reports of these comments: counts per reason and the readers' notes, oldest first. */
export async function summarizeOpenReports(db: Db, commentIds: string[]): Promise<Map<string, OpenReports>> {
  const out = new Map<string, OpenReports>();
  if (commentIds.length === 0) return out;
  const rows = await db
    .selectFrom('reports')
    .select(['comment_id', 'reason', 'note'])
    .where('comment_id', 'in', commentIds)
    .where('resolved_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  for (const row of rows) {
    const summary = out.get(row.comment_id) ?? { reasons: {}, notes: [] };
    summary.reasons[row.reason] = (summary.reasons[row.reason] ?? 0) + 1;
    if (row.note) summary.notes.push(row.note);
    out.set(row.comment_id, summary);
  }
  return out;
}

export interface AuthorStats {
  recentCount: number;
  removedCount: number;
}

/** Per author, on every site: comments since `since`, and comments a moderator removed. */
export async function authorStats(db: Db, authorIds: string[], since: Date): Promise<Map<string, AuthorStats>> {
  if (authorIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('comments')
    .select([
      'author_id',
      sql<number>`(count(*) filter (where created_at >= ${since}))::int`.as('recent'),
      sql<number>`(count(*) filter (where status = 'removed'))::int`.as('removed'),
    ])
    .where('author_id', 'in', [...new Set(authorIds)])
    .groupBy('author_id')
    .execute();
  return new Map(rows.map((row) => [row.author_id, { recentCount: Number(row.recent), removedCount: Number(row.removed) }]));
}

/** One author's comments, newest first, optionally on one site only (walks `comments_by_author`). */
export async function listAuthorComments(
  db: Db,
  authorId: string,
  page: { siteIds?: readonly string[] | undefined; limit: number; after?: KeysetPosition | undefined },
): Promise<CommentRow[]> {
  let query = db.selectFrom('comments').selectAll().where('author_id', '=', authorId);
  if (page.siteIds !== undefined) {
    // No site in view is an empty page, not every site.
    const siteIds = page.siteIds.length > 0 ? [...page.siteIds] : [''];
    query = query.where('article_id', 'in', (eb) => eb.selectFrom('articles').select('id').where('site_id', 'in', siteIds));
  }
  const after = page.after;
  if (after) query = query.where((eb) => eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(after.createdAt, after.id)));
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit).execute();
}
