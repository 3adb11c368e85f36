import type { SiteSettings } from '@parley/contracts';
import type { ArticleRow, Db } from '../database/tables';
import type { RecordEvent } from '../events/event-publisher';

/**
 * Sites may close discussions automatically `autoCloseAfterDays` after their first comment. No
 * scheduler does it: the first post attempted after the deadline finds it due, closes the article
 * (with its `article:updated` event) and is refused like any post to a closed article.
 */
export async function autoCloseDue(db: Db, article: ArticleRow, settings: SiteSettings, now: Date): Promise<boolean> {
  const days = settings.autoCloseAfterDays;
  if (days === undefined) return false;
  // The first comment is always top level, so the top-level index finds it in one step.
  const first = await db
    .selectFrom('comments')
    .select('created_at')
    .where('article_id', '=', article.id)
    .where('parent_id', 'is', null)
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .limit(1)
    .executeTakeFirst();
  return first !== undefined && now.getTime() - first.created_at.getTime() > days * 24 * 3600 * 1000;
}

/** Sets an article's state and tells its live readers (`article:updated`). */
export async function recordArticleState(
  trx: Db,
  record: RecordEvent,
  article: ArticleRow,
  state: ArticleRow['state'],
  now: Date,
): Promise<void> {
  await trx.updateTable('articles').set({ state }).where('id', '=', article.id).execute();
  await record({ articleId: article.id, change: { type: 'article:updated', state, commentCount: article.comment_count }, at: now });
}

export const closeArticle = (trx: Db, record: RecordEvent, article: ArticleRow, now: Date) =>
  recordArticleState(trx, record, article, 'closed', now);
