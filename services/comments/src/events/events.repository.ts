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
