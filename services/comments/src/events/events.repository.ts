import type { Db } from '../database/tables';
import type { ArticleChange } from './article-events';

/** An article event as stored: its seq and the change it records (`type` plus payload). */
export interface StoredArticleEvent {
  seq: number;
  change: ArticleChange;
  createdAt: Date;
}

export async function insertArticleEvent(trx: Db, event: { articleId: string; seq: number; change: ArticleChange; createdAt: Date }): Promise<void> {
  const { type, ...payload } = event.change;
  await trx
    .insertInto('article_events')
    .values({ article_id: event.articleId, seq: event.seq, type, payload, created_at: event.createdAt })
    .execute();
}

/** An article's events after `afterSeq`, in order (what a reconnecting live client asks for). */
export async function listArticleEvents(db: Db, articleId: string, afterSeq = 0, limit?: number): Promise<StoredArticleEvent[]> {
  let query = db
    .selectFrom('article_events')
    .select(['seq', 'type', 'payload', 'created_at'])
    .where('article_id', '=', articleId)
    .where('seq', '>', afterSeq)
    .orderBy('seq');
  if (limit !== undefined) query = query.limit(limit);
  const rows = await query.execute();
  // Only insertArticleEvent writes these rows, from a typed change: type and payload belong together.
  return rows.map((row) => ({ seq: row.seq, change: { type: row.type, ...(row.payload as object) } as ArticleChange, createdAt: row.created_at }));
}

/** An article's events after `afterSeq` by the room's names (the article row may be younger than the room). */
export async function listEventsOfArticleKey(db: Db, site: string, article: string, afterSeq: number, limit: number): Promise<StoredArticleEvent[]> {
  const rows = await db
    .selectFrom('article_events as e')
    .innerJoin('articles as a', 'a.id', 'e.article_id')
    .select(['e.seq', 'e.type', 'e.payload', 'e.created_at'])
    .where('a.site_id', '=', site)
    .where('a.key', '=', article)
    .where('e.seq', '>', afterSeq)
    .orderBy('e.seq')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ seq: row.seq, change: { type: row.type, ...(row.payload as object) } as ArticleChange, createdAt: row.created_at }));
}

/** The current seq of each named article that exists (one indexed read for many rooms). */
export async function articleSeqs(db: Db, articles: readonly { site: string; article: string }[]): Promise<{ site: string; article: string; seq: number }[]> {
  if (articles.length === 0) return [];
  const rows = await db
    .selectFrom('articles')
    .select(['site_id', 'key', 'last_seq'])
    .where(({ eb, refTuple, tuple }) => eb(refTuple('site_id', 'key'), 'in', articles.map((one) => tuple(one.site, one.article))))
    .execute();
  return rows.map((row) => ({ site: row.site_id, article: row.key, seq: row.last_seq }));
}
