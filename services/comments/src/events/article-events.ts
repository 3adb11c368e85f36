import type { ArticleEvent } from '@parley/contracts';
import { advanceArticle } from '../articles/articles.repository';
import type { Db } from '../database/tables';
import { insertArticleEvent } from './events.repository';

/** Omit applied to each member of a union (a plain Omit would merge them and lose which payload goes with which type). */
type OmitEach<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

/**
 * What a write records: one of the contract's article events without the numbering that
 * recording adds, so a payload that doesn't fit its `type` is a compile error.
 */
export type ArticleChange = OmitEach<ArticleEvent, 'site' | 'article' | 'seq'>;

/**
 * Records one change to an article's discussion inside the transaction that makes the change:
 * takes the next seq (the article row lock orders concurrent writers), applies the change to the
 * article's visible comment count, and stores the event. Rolled back together or not at all, so a
 * live client resuming from its last seq can never miss a change. Returns the event as it is
 * pushed once the write commits.
 */
export async function recordArticleEvent(
  trx: Db,
  event: { articleId: string; change: ArticleChange; at: Date; commentCountDelta?: number },
): Promise<ArticleEvent> {
  const { seq, siteId, key } = await advanceArticle(trx, event.articleId, event.commentCountDelta ?? 0);
  await insertArticleEvent(trx, { articleId: event.articleId, seq, change: event.change, createdAt: event.at });
  return { site: siteId, article: key, seq, ...event.change };
}
