import type { Kysely } from 'kysely';
import type { ArticleEvent, ReplyReceivedEvent } from '@parley/contracts';
import type { Logger } from '@parley/platform';
import { findComment } from '../comments/comments.repository';
import { isTombstone } from '../comments/comments.presenter';
import type { CommentsDatabase } from '../database/tables';

export interface ReplyHints {
  /** Called with every batch of committed events: replies among them are told to their parents' authors. */
  notice(events: readonly ArticleEvent[]): void;
  /** Resolves when every hint in flight is handed to the live stream (tests, and stop). */
  idle(): Promise<void>;
}

/**
 * The live "new reply to you" (ADR 0015): on the node that committed a reply, the parent's author
 * is told on their own sockets at once, with where the reply is and nothing of what it says. A
 * hint only: the mail is the durable path (the notification follower, ADR 0022), so a hint lost to
 * a crash right after the commit is not made up for.
 */
export function replyHints(deps: { db: Kysely<CommentsDatabase>; logger: Logger; tell(recipientId: string, event: ReplyReceivedEvent): void }): ReplyHints {
  const inFlight = new Set<Promise<void>>();

  async function hint(event: Extract<ArticleEvent, { type: 'comment:created' }>): Promise<void> {
    const reply = event.comment;
    if (!reply.parentId || !reply.author) return;
    const parent = await findComment(deps.db, reply.parentId);
    if (!parent || !parent.author_id || parent.author_id === reply.author.id || isTombstone(parent)) return;
    const article = await deps.db.selectFrom('articles').select('url').where('id', '=', parent.article_id).executeTakeFirst();
    const url = article?.url && URL.canParse(article.url) && article.url.length <= 2000 ? article.url : undefined;
    deps.tell(parent.author_id, { site: event.site, article: event.article, commentId: reply.id, ...(url ? { url } : {}) });
  }

  return {
    notice(events) {
      for (const event of events) {
        if (event.type !== 'comment:created' || !event.comment.parentId) continue;
        const work = hint(event)
          .catch((error: unknown) => deps.logger.warn({ err: (error as Error).message }, 'reply hint failed'))
          .finally(() => inFlight.delete(work));
        inFlight.add(work);
      }
    },
    async idle() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
}
