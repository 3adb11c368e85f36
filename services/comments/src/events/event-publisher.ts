import type { Kysely, Transaction } from 'kysely';
import type { ArticleEvent, ModerationQueueEvent, ReplyReceivedEvent, SessionBannedEvent, SessionUnbannedEvent } from '@parley/contracts';
import type { CommentsDatabase } from '../database/tables';
import { recordArticleEvent } from './article-events';

/**
 * A live message that is not part of an article's numbered history: queue changes for the
 * moderation room and ban notices for one user's sockets. Nothing replays them, so they are not
 * stored; like article events they are only handed out after the write commits (a reply notice
 * once the reply's commit was handed to the reply notifier, which looked its parent's author up).
 */
export type LiveSignal =
  | { kind: 'moderation:queue'; event: ModerationQueueEvent }
  | { kind: 'session:banned'; userId: string; event: SessionBannedEvent }
  | { kind: 'session:unbanned'; userId: string; event: SessionUnbannedEvent }
  | { kind: 'reply:received'; userId: string; event: ReplyReceivedEvent };

/** Where committed events go: the live stream (Socket.IO rooms), or nowhere before it is attached. */
export interface EventPublisher {
  publish(events: readonly ArticleEvent[], signals?: readonly LiveSignal[]): void;
}

export type RecordEvent = (event: Parameters<typeof recordArticleEvent>[1]) => Promise<ArticleEvent>;
export type SignalLive = (signal: LiveSignal) => void;

/**
 * The one way services change a discussion: `work` runs in a transaction and records its events
 * through `record`; only after the transaction commits are those events handed to the publisher.
 * A rolled-back write publishes nothing, and no route handler ever emits. (Posting a comment is
 * the exception that keeps the rule: it numbers and stores its event inside the single statement
 * that stores the comment, and publishes once that statement has committed; ADR 0012.)
 */
export async function writeWithEvents<T>(
  deps: { db: Kysely<CommentsDatabase>; publisher: EventPublisher },
  work: (trx: Transaction<CommentsDatabase>, record: RecordEvent, signal: SignalLive) => Promise<T>,
): Promise<T> {
  const recorded: ArticleEvent[] = [];
  const signals: LiveSignal[] = [];
  const result = await deps.db.transaction().execute((trx) =>
    work(
      trx,
      async (event) => {
        const written = await recordArticleEvent(trx, event);
        recorded.push(written);
        return written;
      },
      (signal) => signals.push(signal),
    ),
  );
  if (recorded.length > 0 || signals.length > 0) deps.publisher.publish(recorded, signals);
  return result;
}

/** A publisher whose target is set later (the Socket.IO server exists only once there is an HTTP server). */
export function deferredPublisher(): EventPublisher & { target(publisher: EventPublisher | undefined): void } {
  let current: EventPublisher | undefined;
  return {
    publish(events, signals) {
      current?.publish(events, signals);
    },
    target(publisher) {
      current = publisher;
    },
  };
}
