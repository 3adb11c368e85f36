import type { Comment, RepliesPage, RepliesQuery, ThreadPage, ThreadQuery } from '@parley/contracts';
import type { Viewer } from '@parley/tokens';
import { notFound } from '@parley/platform';
import { findArticle } from '../articles/articles.repository';
import { findComment } from '../comments/comments.repository';
import { presentArticle, presentComment } from '../comments/comments.presenter';
import type { ServiceContext } from '../context';
import type { CommentRow } from '../database/tables';
import { listReactedCommentIds } from '../reactions/reactions.repository';
import { findSite } from '../sites/sites.repository';
import { decodeCursor, encodeCursor, type CursorKind } from './cursor';
import { listFirstReplies, listReplies, listTopLevelComments } from './threads.repository';

/** How many direct replies each top-level comment brings along in a thread page. */
export const repliesPerComment = 3;

export type ThreadsService = ReturnType<typeof threadsService>;

/** Reading a discussion: a page of top-level comments with their first replies, or more replies. */
export function threadsService({ db }: ServiceContext) {
  return {
    async thread(target: { site: string; article: string }, query: ThreadQuery, viewer?: Viewer): Promise<ThreadPage> {
      const after = query.cursor === undefined ? undefined : decodeCursor(query.sort, query.cursor);
      const site = await findSite(db, target.site);
      if (!site) throw notFound('site_not_found', `There is no site "${target.site}".`);
      const article = await findArticle(db, site.id, target.article);
      const presented = presentArticle(site.id, target.article, article);
      if (!article) return { article: presented, comments: [], nextCursor: null };

      // One row more than asked tells whether another page exists, without counting.
      const viewerId = viewer?.id;
      const rows = await listTopLevelComments(db, article.id, { sort: query.sort, limit: query.limit + 1, after, viewerId });
      const page = rows.slice(0, query.limit);
      const replies = await listFirstReplies(
        db,
        page.map((row) => row.id),
        repliesPerComment,
        viewerId,
      );
      const byParent = new Map<string, CommentRow[]>();
      for (const reply of replies) byParent.set(reply.parent_id!, [...(byParent.get(reply.parent_id!) ?? []), reply]);
      const comments = page.map((row) => presentComment(row, byParent.get(row.id) ?? [], { viewerId }));
      if (viewer) await markReacted(comments, viewer);
      return { article: presented, comments, nextCursor: nextCursor(query.sort, rows, query.limit) };
    },

    async replies(parentId: string, query: RepliesQuery, viewer?: Viewer): Promise<RepliesPage> {
      const after = query.cursor === undefined ? undefined : decodeCursor('replies', query.cursor);
      const parent = await findComment(db, parentId);
      const visible = parent && (parent.published_at !== null || (parent.status === 'pending' && parent.author_id === viewer?.id));
      if (!parent || !visible) throw notFound('comment_not_found', 'There is no such comment.');
      const rows = await listReplies(db, parent.id, { limit: query.limit + 1, after, viewerId: viewer?.id });
      const comments = rows.slice(0, query.limit).map((row) => presentComment(row, undefined, { viewerId: viewer?.id }));
      if (viewer) await markReacted(comments, viewer);
      return { comments, nextCursor: nextCursor('replies', rows, query.limit) };
    },
  };

  /** For a logged-in reader, says on each comment (and its replies) whether they reacted: one query. */
  async function markReacted(comments: Comment[], viewer: Viewer): Promise<void> {
    const all = comments.flatMap((comment) => [comment, ...(comment.replies ?? [])]);
    const reacted = await listReactedCommentIds(
      db,
      all.map((comment) => comment.id),
      viewer.id,
    );
    for (const comment of all) comment.reacted = reacted.has(comment.id);
  }
}

function nextCursor(kind: CursorKind, rows: CommentRow[], limit: number): string | null {
  if (rows.length <= limit) return null;
  const last = rows[limit - 1]!;
  return encodeCursor(kind, { createdAt: last.created_at, id: last.id, reactionCount: last.reaction_count });
}
