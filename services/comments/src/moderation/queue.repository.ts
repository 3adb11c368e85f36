import { sql } from 'kysely';
import type { ModerationView } from '@parley/contracts';
import type { ArticleRow, CommentRow, Db } from '../database/tables';
import type { KeysetPosition } from '../threads/cursor';

/** Which comments one console list shows, and in which sites/article/text. */
export interface QueueFilter {
  type: ModerationView;
  siteIds?: readonly string[] | undefined;
  /** An article key of the single site in `siteIds`. */
  article?: string | undefined;
  /** Text in the body or the author's name. */
  q?: string | undefined;
}

/** The sort key of each list: the reported queue by first report, the rest by posting time. */
export const queueKey = (type: ModerationView) => (type === 'reported' ? 'reported_at' : 'created_at');
/** The queues are worked oldest first; the removed and approved views show the newest first. */
export const newestFirst = (type: ModerationView) => type === 'removed' || type === 'approved';

function filtered(db: Db, filter: QueueFilter) {
  let query = db.selectFrom('comments');
  if (filter.type === 'reported') query = query.where('open_reports', '>', 0);
  else if (filter.type === 'pending') query = query.where('status', '=', 'pending');
  else if (filter.type === 'removed') query = query.where('status', '=', 'removed');
  else {
    // Published after a moderator approved it (held, or reported and kept).
    query = query
      .where('status', '=', 'published')
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('moderation_actions')
            .select(sql`1`.as('one'))
            .where('moderation_actions.action', '=', 'comment.approve')
            .where('moderation_actions.target_type', '=', 'comment')
            .whereRef('moderation_actions.target_id', '=', sql<string>`comments.id::text`),
        ),
      );
  }
  if (filter.siteIds !== undefined) {
    // No site in view is an empty page, not every site.
    const siteIds = filter.siteIds.length > 0 ? [...filter.siteIds] : [''];
    query = query.where('article_id', 'in', (eb) => {
      const articles = eb.selectFrom('articles').select('id').where('site_id', 'in', siteIds);
      return filter.article === undefined ? articles : articles.where('key', '=', filter.article);
    });
  }
  if (filter.q !== undefined) {
    const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) => eb.or([eb('body', 'ilike', pattern), eb('author_name', 'ilike', pattern)]));
  }
  return query;
}

/**
 * One page of a console list. The queues walk their partial indexes
 * (`comments_reported_queue (reported_at, id) where open_reports > 0`,
 * `comments_pending_queue (created_at, id) where status = 'pending'`), the removed view its own
 * (`comments_removed_view`); the page's details come from a fixed number of batch queries below.
 */
export async function listQueue(
  db: Db,
  filter: QueueFilter,
  page: { limit: number; after?: KeysetPosition | undefined },
): Promise<CommentRow[]> {
  const key = queueKey(filter.type);
  const desc = newestFirst(filter.type);
  let query = filtered(db, filter).selectAll('comments');
  const after = page.after;
  if (after) query = query.where((eb) => eb(eb.refTuple(key, 'id'), desc ? '<' : '>', eb.tuple(after.createdAt, after.id)));
  const order = desc ? 'desc' : 'asc';
  return query.orderBy(key, order).orderBy('id', order).limit(page.limit).execute();
}

/** How many comments the list holds with these filters. */
export async function countQueue(db: Db, filter: QueueFilter): Promise<number> {
  const row = await filtered(db, filter).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
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
