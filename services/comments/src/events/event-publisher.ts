import type { Kysely, Transaction } from 'kysely';
import type { CommentsDatabase } from '../database/tables';
import { recordArticleEvent, type RecordedEvent } from './article-events';

/** Where committed events go: the live stream (Socket.IO rooms), or nowhere before it is attached. */
export interface EventPublisher {
  publish(events: readonly RecordedEvent[]): void;
}

export type RecordEvent = (event: Parameters<typeof recordArticleEvent>[1]) => Promise<RecordedEvent>;

/**
 * The one way services change a discussion: `work` runs in a transaction and records its events
 * through `record`; only after the transaction commits are those events handed to the publisher.
 * A rolled-back write publishes nothing, and no route handler ever emits.
 */
export async function writeWithEvents<T>(
  deps: { db: Kysely<CommentsDatabase>; publisher: EventPublisher },
  work: (trx: Transaction<CommentsDatabase>, record: RecordEvent) => Promise<T>,
): Promise<T> {
  const recorded: RecordedEvent[] = [];
  const result = await deps.db.transaction().execute((trx) =>
    work(trx, async (event) => {
      const written = await recordArticleEvent(trx, event);
      recorded.push(written);
      return written;
    }),
  );
  if (recorded.length > 0) deps.publisher.publish(recorded);
  return result;
}

/** A publisher whose target is set later (the Socket.IO server exists only once there is an HTTP server). */
export function deferredPublisher(): EventPublisher & { target(publisher: EventPublisher | undefined): void } {
  let current: EventPublisher | undefined;
  return {
    publish(events) {
      current?.publish(events);
    },
    target(publisher) {
      current = publisher;
    },
  };
}
