import type { ArticleEventType } from '@parley/contracts';
import { advanceArticle } from '../articles/articles.repository';
import type { Db } from '../database/tables';
import { insertArticleEvent } from './events.repository';

/** An event as written: enough to push it to the article's live room once the write commits. */
export interface RecordedEvent {
  site: string;
  article: string;
  seq: number;
  type: ArticleEventType;
  payload: object;
}

/**
 * Records one change to an article's discussion inside the transaction that makes the change:
 * takes the next seq (the article row lock orders concurrent writers), applies the change to the
 * article's visible comment count, and stores the event. Rolled back together or not at all, so a
 * live client resuming from its last seq can never miss a change.
 */
export async function recordArticleEvent(
  trx: Db,
  event: { articleId: string; type: ArticleEventType; payload: object; at: Date; commentCountDelta?: number },
): Promise<RecordedEvent> {
  const { seq, siteId, key } = await advanceArticle(trx, event.articleId, event.commentCountDelta ?? 0);
  await insertArticleEvent(trx, { articleId: event.articleId, seq, type: event.type, payload: event.payload, createdAt: event.at });
  return { site: siteId, article: key, seq, type: event.type, payload: event.payload };
}
