import type { Comment, EditCommentRequest, PostCommentRequest } from '@parley/contracts';
import { AppError, forbidden, notFound, unprocessable, type RateLimiter } from '@parley/platform';
import type { Viewer } from '@parley/tokens';
import { lockArticleOfComment, lockOrCreateArticle } from '../articles/articles.repository';
import type { ServiceContext } from '../context';
import { writeWithEvents } from '../events/event-publisher';
import { findSite } from '../sites/sites.repository';
import { findComment, incrementReplyCount, insertComment, markCommentDeleted, updateCommentBody } from './comments.repository';
import { renderCommentBody } from './markdown';
import { isTombstone, presentComment } from './comments.presenter';

export interface CommentsServiceDeps extends ServiceContext {
  /** Per-user budget for new comments (flood protection, not moderation). */
  postingLimiter: RateLimiter;
}

export type CommentsService = ReturnType<typeof commentsService>;

const siteNotFound = (site: string) => notFound('site_not_found', `There is no site "${site}".`);
const commentNotFound = () => notFound('comment_not_found', 'There is no such comment.');

/** Writing to a discussion: posting, editing and deleting one's own comments. */
export function commentsService(deps: CommentsServiceDeps) {
  const { clock, config } = deps;

  return {
    async post(viewer: Viewer, target: { site: string; article: string }, input: PostCommentRequest): Promise<Comment> {
      await deps.postingLimiter.consume(viewer.id);
      const html = renderCommentBody(input.body);
      return writeWithEvents(deps, async (trx, record) => {
        const site = await findSite(trx, target.site);
        if (!site) throw siteNotFound(target.site);
        const article = await lockOrCreateArticle(trx, {
          siteId: site.id,
          key: target.article,
          title: input.title || undefined,
          url: input.url,
        });
        if (article.state === 'closed') throw unprocessable('article_closed', 'This discussion is closed to new comments.');

        let parent: { id: string; rootId: string; depth: number } | undefined;
        if (input.parentId) {
          const row = await findComment(trx, input.parentId);
          // A parent elsewhere is treated like a missing one: replies never cross articles.
          if (!row || row.article_id !== article.id || isTombstone(row) || row.status === 'pending') {
            throw unprocessable('parent_unavailable', 'The comment you are replying to is not available.');
          }
          parent = { id: row.id, rootId: row.root_id ?? row.id, depth: row.depth };
        }

        const now = clock();
        const row = await insertComment(trx, {
          article_id: article.id,
          parent_id: parent?.id ?? null,
          root_id: parent?.rootId ?? null,
          depth: parent ? parent.depth + 1 : 0,
          author_id: viewer.id,
          author_name: viewer.name,
          body: input.body,
          html,
          status: 'published',
          created_at: now,
          edited_at: null,
          deleted_at: null,
        });
        if (parent) await incrementReplyCount(trx, parent.id);
        const comment = presentComment(row);
        await record({
          articleId: article.id,
          type: 'comment:created',
          payload: { comment },
          at: now,
          commentCountDelta: 1,
        });
        return comment;
      });
    },

    async edit(viewer: Viewer, id: string, input: EditCommentRequest): Promise<Comment> {
      const html = renderCommentBody(input.body);
      return writeWithEvents(deps, async (trx, record) => {
        const article = await lockArticleOfComment(trx, id);
        const row = article && (await findComment(trx, id));
        if (!article || !row) throw commentNotFound();
        if (row.author_id !== viewer.id) throw forbidden('Only the author can edit a comment.');
        if (isTombstone(row)) throw notFound('comment_not_found', 'This comment was deleted and can no longer be edited.');

        const site = await findSite(trx, article.site_id);
        const windowSeconds = site?.settings.editWindowSeconds ?? config.editWindowSeconds;
        const now = clock();
        if (now.getTime() - row.created_at.getTime() > windowSeconds * 1000) {
          throw new AppError(
            403,
            'edit_window_expired',
            `Comments can only be edited in the first ${Math.round(windowSeconds / 60)} minutes after posting.`,
          );
        }

        const updated = await updateCommentBody(trx, id, { body: input.body, html, editedAt: now });
        const comment = presentComment(updated);
        await record({ articleId: article.id, type: 'comment:updated', payload: { comment }, at: now });
        return comment;
      });
    },

    /**
     * Turns the author's comment into a tombstone. Deleting one that already is a tombstone
     * succeeds without recording anything, so a retried DELETE is harmless.
     */
    async remove(viewer: Viewer, id: string): Promise<void> {
      await writeWithEvents(deps, async (trx, record) => {
        const article = await lockArticleOfComment(trx, id);
        const row = article && (await findComment(trx, id));
        if (!article || !row) throw commentNotFound();
        if (row.author_id !== viewer.id) throw forbidden('Only the author can delete a comment.');
        if (isTombstone(row)) return;

        const now = clock();
        const tombstone = await markCommentDeleted(trx, id, now);
        await record({
          articleId: article.id,
          type: 'comment:removed',
          payload: { comment: presentComment(tombstone) },
          at: now,
          // Only published comments were counted; a pending one never was.
          commentCountDelta: row.status === 'published' ? -1 : 0,
        });
      });
    },
  };
}
