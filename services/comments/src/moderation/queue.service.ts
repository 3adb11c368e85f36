import { sitesInView } from './site-scope';
import type { Viewer } from '@parley/contracts';
import type { AuthorHistoryPage, AuthorHistoryQuery, ModerationQueuePage, ModerationQueueQuery } from '@parley/contracts';
import { presentComment } from '../comments/comments.presenter';
import type { ServiceContext } from '../context';
import type { ArticleRow, CommentRow } from '../database/tables';
import { decodeCursor, encodeCursor, type CursorKind } from '../threads/cursor';
import { listBannedPairs } from './bans.repository';
import {
  authorStats,
  countQueue,
  findArticlesByIds,
  findCommentsByIds,
  listAuthorComments,
  listQueue,
  summarizeOpenReports,
} from './queue.repository';

/** "Recent" in an author's record: comments in this many days. */
export const recentDays = 30;

const moderatorView = { moderator: true };

export const presentArticleSummary = (article: ArticleRow) => ({
  site: article.site_id,
  key: article.key,
  title: article.title,
  url: article.url,
});

/** The cursor after a page that was read with one row more than `limit` (null on the last page). */
export function nextPageCursor<Row extends { created_at: Date; id: string }>(
  kind: CursorKind,
  rows: Row[],
  limit: number,
  key: (row: Row) => Date = (row) => row.created_at,
): string | null {
  if (rows.length <= limit) return null;
  const last = rows[limit - 1]!;
  return encodeCursor(kind, { createdAt: key(last), id: last.id, reactionCount: 0 });
}

export type QueueService = ReturnType<typeof queueService>;

/** What the moderator console reads: the two queues and an author's history. */
export function queueService({ db, clock }: ServiceContext) {
  return {
    async queue(viewer: Viewer, query: ModerationQueueQuery): Promise<ModerationQueuePage> {
      const after = query.cursor === undefined ? undefined : decodeCursor(query.type, query.cursor);
      const filter = { type: query.type, siteIds: sitesInView(viewer, query.site), article: query.article, q: query.q };
      const [rows, total] = await Promise.all([listQueue(db, filter, { limit: query.limit + 1, after }), countQueue(db, filter)]);
      const page = rows.slice(0, query.limit);
      const now = clock();
      // Five batch queries per page, whatever its size.
      const [articles, parents, reports, stats] = await Promise.all([
        findArticlesByIds(db, page.map((row) => row.article_id)),
        findCommentsByIds(db, page.flatMap((row) => (row.parent_id ? [row.parent_id] : []))),
        summarizeOpenReports(db, page.filter((row) => row.open_reports > 0).map((row) => row.id)),
        authorStats(db, page.map((row) => row.author_id), new Date(now.getTime() - recentDays * 24 * 3600 * 1000)),
      ]);
      const banned = await listBannedPairs(
        db,
        page.map((row) => ({ userId: row.author_id, siteId: articles.get(row.article_id)!.site_id })),
        now,
      );
      const items = page.map((row) => {
        const article = articles.get(row.article_id)!;
        const parent = row.parent_id ? parents.get(row.parent_id) : undefined;
        const open = reports.get(row.id);
        const author = stats.get(row.author_id) ?? { recentCount: 0, removedCount: 0 };
        return {
          comment: presentComment(row, undefined, moderatorView),
          article: presentArticleSummary(article),
          parent: parent ? presentComment(parent, undefined, moderatorView) : null,
          author: { id: row.author_id, name: row.author_name, ...author, banned: banned.has(`${row.author_id}/${article.site_id}`) },
          reportCount: row.open_reports,
          reasons: open?.reasons ?? {},
          notes: open?.notes ?? [],
          firstReportedAt: row.reported_at ? row.reported_at.toISOString() : null,
        };
      });
      const sortKey = query.type === 'reported' ? (row: CommentRow) => row.reported_at! : (row: CommentRow) => row.created_at;
      const nextCursor = nextPageCursor(query.type, rows, query.limit, sortKey);
      return { items, nextCursor, total };
    },

    async authorHistory(viewer: Viewer, userId: string, query: AuthorHistoryQuery): Promise<AuthorHistoryPage> {
      const after = query.cursor === undefined ? undefined : decodeCursor('history', query.cursor);
      const rows = await listAuthorComments(db, userId, { siteIds: sitesInView(viewer, query.site), limit: query.limit + 1, after });
      const page = rows.slice(0, query.limit);
      const articles = await findArticlesByIds(db, page.map((row) => row.article_id));
      return {
        items: page.map((row) => ({
          comment: presentComment(row, undefined, moderatorView),
          article: presentArticleSummary(articles.get(row.article_id)!),
        })),
        nextCursor: nextPageCursor('history', rows, query.limit),
      };
    },
  };
}
