import type { ArticleEventType } from '@parley/contracts';
import type { Db } from '../database/tables';

export interface ArticleEvent {
  seq: number;
  type: ArticleEventType;
  payload: unknown;
  createdAt: Date;
}

export async function insertArticleEvent(
  trx: Db,
  event: { articleId: string; seq: number; type: ArticleEventType; payload: object; createdAt: Date },
): Promise<void> {
  await trx
    .insertInto('article_events')
    .values({ article_id: event.articleId, seq: event.seq, type: event.type, payload: event.payload, created_at: event.createdAt })
    .execute();
}

/** An article's events after `afterSeq`, in order (what a reconnecting live client asks for). */
export async function listArticleEvents(db: Db, articleId: string, afterSeq = 0, limit?: number): Promise<ArticleEvent[]> {
  let query = db
    .selectFrom('article_events')
    .select(['seq', 'type', 'payload', 'created_at'])
    .where('article_id', '=', articleId)
    .where('seq', '>', afterSeq)
    .orderBy('seq');
  if (limit !== undefined) query = query.limit(limit);
  const rows = await query.execute();
  return rows.map((row) => ({ seq: row.seq, type: row.type as ArticleEventType, payload: row.payload, createdAt: row.created_at }));
}
