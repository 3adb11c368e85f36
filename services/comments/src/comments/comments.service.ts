import type { Comment, EditCommentRequest, PostCommentRequest } from '@parley/contracts';
import { AppError, assertAllowed, notFound, unprocessable } from '@parley/platform';
import type { Viewer } from '@parley/tokens';
import { recordArticleState } from '../articles/article-state';
import { assertArticleUrlOnSite } from '../articles/article-url';
import { authorBadge } from './author-badges';
import { lockOrCreateArticle } from '../articles/articles.repository';
import type { ServiceContext } from '../context';
import { writeWithEvents } from '../events/event-publisher';
import { assertNotBanned } from '../moderation/assert-not-banned';
import { autoCloseDue } from '../moderation/auto-close';
import type { BodyScreening } from '../moderation/body-screening';
import { queueChanged } from '../moderation/queue-signals';
import { findSite } from '../sites/sites.repository';
import {
  findComment,
  incrementReplyCount,
  insertComment,
  markCommentDeleted,
  resolveOpenReports,
  setCommentStatus,
  updateCommentBody,
} from './comments.repository';
import { isTombstone, presentComment } from './comments.presenter';
import { lockedCommentOr404 } from './locked-comment';
import { renderCommentBody } from './markdown';
import { articleClosed, postInOneStatement, siteNotFound } from './post-comment';
import { assertMayPostHere } from './confirmed-email';
import { heldAsNewcomer } from './newcomer-hold';

export interface CommentsServiceDeps extends ServiceContext {
  /** The sites' banned and suspect words. */
  screening: BodyScreening;
}

export type CommentsService = ReturnType<typeof commentsService>;


/**
 * Writing to a discussion: posting, editing and deleting one's own comments. Every write checks
 * the author's ban on the site and the site's word lists first. A comment in a premoderated
 * discussion, or with a suspect word, is stored as `pending`: only its author and moderators see
 * it, no article event is recorded (so neither live readers nor catch-up learn of it), and the
 * moderation room hears about it instead.
 */
export function commentsService(deps: CommentsServiceDeps) {
  const { clock, config } = deps;

  return {
    async post(viewer: Viewer, target: { site: string; article: string }, input: PostCommentRequest): Promise<Comment> {
      const html = renderCommentBody(input.body);
      const posted = await postInOneStatement(deps, viewer, target, input, html);
      if (posted) return posted;
      // A site that closes discussions on a deadline: the post may have to close the article instead.
      const outcome = await writeWithEvents(deps, async (trx, record, signal) => {
        const site = await findSite(trx, target.site);
        if (!site) throw siteNotFound(target.site);
        const now = clock();
        await assertNotBanned(trx, site.id, viewer.id, now);
        assertMayPostHere(site, viewer);
        const { hold: suspect } = await deps.screening.screen(trx, site.id, input.body);
        assertArticleUrlOnSite(input.url, site.allowed_origins);
        const article = await lockOrCreateArticle(trx, {
          siteId: site.id,
          key: target.article,
          title: input.title || undefined,
          url: input.url,
        });
        if (article.state === 'closed') throw articleClosed();
        if (await autoCloseDue(trx, article, site.settings, now)) {
          // Committed although the post is refused: the article stays closed from now on.
          await recordArticleState(trx, record, article, 'closed', now);
          return { closed: true as const };
        }

        let parent: { id: string; rootId: string; depth: number } | undefined;
        if (input.parentId) {
          const row = await findComment(trx, input.parentId);
          // A parent elsewhere is treated like a missing one: replies never cross articles.
          if (!row || row.article_id !== article.id || isTombstone(row) || row.status === 'pending') {
            throw unprocessable('parent_unavailable', 'The comment you are replying to is not available.');
          }
          parent = { id: row.id, rootId: row.root_id ?? row.id, depth: row.depth };
        }

        const held =
          suspect || (await heldAsNewcomer(trx, site, viewer)) || (article.premoderation ?? site.settings.premoderation ?? false);
        const row = await insertComment(trx, {
          article_id: article.id,
          parent_id: parent?.id ?? null,
          root_id: parent?.rootId ?? null,
          depth: parent ? parent.depth + 1 : 0,
          author_id: viewer.id,
          author_name: viewer.name,
          author_badge: authorBadge(viewer, site.id),
          body: input.body,
          html,
          status: held ? 'pending' : 'published',
          created_at: now,
          edited_at: null,
          deleted_at: null,
          published_at: held ? null : now,
        });
        if (held) {
          // Counted on the parent and the article, and announced to readers, only once approved.
          queueChanged(signal, site.id, row.id, 'pending', 'added');
          return { comment: presentComment(row, undefined, { viewerId: viewer.id }) };
        }
        if (parent) await incrementReplyCount(trx, parent.id);
        const comment = presentComment(row);
        await record({ articleId: article.id, change: { type: 'comment:created', comment }, at: now, commentCountDelta: 1 });
        return { comment };
      });
      if ('closed' in outcome) throw articleClosed();
      return outcome.comment;
    },

    async edit(viewer: Viewer, id: string, input: EditCommentRequest): Promise<Comment> {
      const html = renderCommentBody(input.body);
      return writeWithEvents(deps, async (trx, record, signal) => {
        const { article, comment: row } = await lockedCommentOr404(trx, id);
        assertAllowed(viewer, 'comment.edit', { authorId: row.author_id });
        if (isTombstone(row)) throw notFound('comment_not_found', 'This comment was deleted and can no longer be edited.');

        const now = clock();
        await assertNotBanned(trx, article.site_id, viewer.id, now);
        const site = await findSite(trx, article.site_id);
        const windowSeconds = site?.settings.editWindowSeconds ?? config.editWindowSeconds;
        if (now.getTime() - row.created_at.getTime() > windowSeconds * 1000) {
          throw new AppError(
            403,
            'edit_window_expired',
            `Comments can only be edited in the first ${Math.round(windowSeconds / 60)} minutes after posting.`,
          );
        }
        const { hold: suspect } = await deps.screening.screen(trx, article.site_id, input.body);

        let updated = await updateCommentBody(trx, id, { body: input.body, html, editedAt: now });
        if (row.status === 'pending') {
          // Readers don't see it (or see a tombstone): only the moderators' queue changes.
          queueChanged(signal, article.site_id, id, 'pending', 'updated');
        } else if (suspect) {
          // A published comment edited to include a suspect word goes back to the moderators.
          updated = await setCommentStatus(trx, id, { status: 'pending' });
          await record({ articleId: article.id, change: { type: 'comment:removed', comment: presentComment(updated) }, at: now, commentCountDelta: -1 });
          queueChanged(signal, article.site_id, id, 'pending', 'added');
        } else {
          await record({ articleId: article.id, change: { type: 'comment:updated', comment: presentComment(updated) }, at: now });
        }
        return presentComment(updated, undefined, { viewerId: viewer.id });
      });
    },

    /**
     * Turns the author's comment into a tombstone. Deleting one that already is a tombstone
     * succeeds without recording anything, so a retried DELETE is harmless. A comment readers
     * never saw (pending, never published) disappears without an article event.
     */
    async remove(viewer: Viewer, id: string): Promise<void> {
      await writeWithEvents(deps, async (trx, record, signal) => {
        const { article, comment: row } = await lockedCommentOr404(trx, id);
        assertAllowed(viewer, 'comment.delete', { authorId: row.author_id });
        if (isTombstone(row)) return;

        const now = clock();
        const tombstone = await markCommentDeleted(trx, id, now);
        if (row.status === 'pending') queueChanged(signal, article.site_id, id, 'pending', 'resolved');
        if (row.open_reports > 0) {
          await resolveOpenReports(trx, id, now);
          queueChanged(signal, article.site_id, id, 'reported', 'resolved');
        }
        if (row.published_at === null) return;
        await record({
          articleId: article.id,
          change: { type: 'comment:removed', comment: presentComment(tombstone) },
          at: now,
          // Only published comments were counted; a pending one no longer was.
          commentCountDelta: row.status === 'published' ? -1 : 0,
        });
      });
    },
  };
}
