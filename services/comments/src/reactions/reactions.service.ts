import type { ReactionResponse } from '@parley/contracts';
import { unprocessable } from '@parley/platform';
import type { Viewer } from '@parley/tokens';
import { lockedCommentOr404 } from '../comments/locked-comment';
import type { ServiceContext } from '../context';
import { writeWithEvents } from '../events/event-publisher';
import { assertNotBanned } from '../moderation/assert-not-banned';
import { adjustReactionCount, deleteReaction, insertReaction } from './reactions.repository';

export type ReactionsServiceDeps = ServiceContext;

export type ReactionsService = ReturnType<typeof reactionsService>;

/**
 * One reaction per user per comment. Setting it twice or clearing it twice changes nothing and
 * records no event; a real change updates the count and tells the article's live readers.
 */
export function reactionsService(deps: ReactionsServiceDeps) {
  async function set(viewer: Viewer, commentId: string, reacted: boolean): Promise<ReactionResponse> {
    return writeWithEvents(deps, async (trx, record) => {
      const { article, comment } = await lockedCommentOr404(trx, commentId, { publishedOnly: true });
      const now = deps.clock();
      await assertNotBanned(trx, article.site_id, viewer.id, now);
      if (article.state === 'closed') throw unprocessable('article_closed', 'This discussion is closed.');

      const changed = reacted
        ? await insertReaction(trx, commentId, viewer.id, now)
        : await deleteReaction(trx, commentId, viewer.id);
      if (!changed) return { commentId, reactionCount: comment.reaction_count, reacted };

      const reactionCount = await adjustReactionCount(trx, commentId, reacted ? 1 : -1);
      await record({ articleId: article.id, change: { type: 'reaction:updated', commentId, reactionCount }, at: now });
      return { commentId, reactionCount, reacted };
    });
  }

  return {
    react: (viewer: Viewer, commentId: string) => set(viewer, commentId, true),
    unreact: (viewer: Viewer, commentId: string) => set(viewer, commentId, false),
  };
}
