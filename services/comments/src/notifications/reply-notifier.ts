import type { Kysely } from 'kysely';
import type { ArticleEvent, ReplyNotificationRequest, ReplyReceivedEvent } from '@parley/contracts';
import type { Logger } from '@parley/platform';
import { findComment } from '../comments/comments.repository';
import { isTombstone } from '../comments/comments.presenter';
import type { CommentsDatabase } from '../database/tables';

/** Where reply notices go: auth, which holds the addresses and settings (POST /internal/notifications/reply). */
export interface ReplyMailbox {
  replyPosted(request: ReplyNotificationRequest): Promise<void>;
}

export function authReplyMailbox(authInternalUrl: string, timeoutMs = 5_000): ReplyMailbox {
  const url = new URL('/internal/notifications/reply', authInternalUrl).toString();
  return {
    async replyPosted(request) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request),
        signal: AbortSignal.timeout(timeoutMs),
      });
      // A 4xx will not get better with retries: the notice is dropped (and logged) by the caller.
      if (response.status >= 500) throw new Error(`auth answered ${response.status}`);
      if (!response.ok) throw Object.assign(new Error(`auth refused the notice (${response.status})`), { permanent: true });
    },
  };
}

export interface ReplyNotifier {
  /** Called with every batch of committed events; replies among them are noticed in the background. */
  notice(events: readonly ArticleEvent[]): void;
  /** Resolves when every notice in flight is handed over (tests). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const excerptOf = (body: string) => (body.length > 300 ? `${body.slice(0, 297).trimEnd()}…` : body);
const retryDelaysMs = [1_000, 5_000];

/**
 * Tells auth about each reply once its comment committed (a `comment:created` event with a
 * parent), so the parent's author can be mailed. Off the posting path: a post never waits for it.
 * A notice that fails is tried again twice; one lost to a crash in those seconds is not mailed
 * (ADR 0015). Auth queues at most one mail per reply, so a retry never mails twice.
 */
export function replyNotifier(deps: {
  db: Kysely<CommentsDatabase>;
  mailbox: ReplyMailbox;
  logger: Logger;
  /** The parent's author, told live (their open widgets' "new reply to you"), before any mail. */
  told?: (recipientId: string, event: ReplyReceivedEvent) => void;
}): ReplyNotifier {
  const inFlight = new Set<Promise<void>>();
  const timers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  let stopped = false;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const entry = { timer: setTimeout(() => (timers.delete(entry), resolve()), ms), resolve };
      entry.timer.unref();
      timers.add(entry);
    });

  async function handle(event: Extract<ArticleEvent, { type: 'comment:created' }>): Promise<void> {
    const reply = event.comment;
    if (!reply.parentId || !reply.author) return;
    const parent = await findComment(deps.db, reply.parentId);
    if (!parent || !parent.author_id || parent.author_id === reply.author.id || isTombstone(parent)) return;
    const article = await deps.db.selectFrom('articles').select(['title', 'url']).where('id', '=', parent.article_id).executeTakeFirst();
    const url = article?.url && URL.canParse(article.url) && article.url.length <= 2000 ? article.url : undefined;
    deps.told?.(parent.author_id, { site: event.site, article: event.article, commentId: reply.id, ...(url ? { url } : {}) });
    const request: ReplyNotificationRequest = {
      recipientId: parent.author_id,
      replyId: reply.id,
      replierName: reply.author.name.slice(0, 100),
      articleTitle: (article?.title ?? event.article).slice(0, 300),
      ...(url ? { articleUrl: url } : {}),
      excerpt: excerptOf(reply.body),
    };
    for (let attempt = 0; ; attempt += 1) {
      try {
        await deps.mailbox.replyPosted(request);
        return;
      } catch (error) {
        const permanent = (error as { permanent?: boolean }).permanent === true;
        if (permanent || stopped || attempt >= retryDelaysMs.length) {
          deps.logger.warn({ replyId: reply.id, err: (error as Error).message }, 'reply notification not handed to auth');
          return;
        }
        await pause(retryDelaysMs[attempt]!);
      }
    }
  }

  return {
    notice(events) {
      if (stopped) return;
      for (const event of events) {
        if (event.type !== 'comment:created' || !event.comment.parentId) continue;
        const work = handle(event)
          .catch((error: unknown) => deps.logger.warn({ err: (error as Error).message }, 'reply notification failed'))
          .finally(() => inFlight.delete(work));
        inFlight.add(work);
      }
    },
    async idle() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    async stop() {
      stopped = true;
      for (const entry of timers) {
        clearTimeout(entry.timer);
        entry.resolve();
      }
      timers.clear();
      await this.idle();
    },
  };
}
