import type { ArticleRow, Db } from '../database/tables';
import type { RecordEvent } from '../events/event-publisher';
import { setArticleState } from './articles.repository';

/** Opens or closes an article and tells its live readers (`article:updated`). */
export async function recordArticleState(
  trx: Db,
  record: RecordEvent,
  article: ArticleRow,
  state: ArticleRow['state'],
  now: Date,
): Promise<void> {
  await setArticleState(trx, article.id, state);
  await record({ articleId: article.id, change: { type: 'article:updated', state, commentCount: article.comment_count }, at: now });
}
