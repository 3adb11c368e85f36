import type { SiteSettings } from '@parley/contracts';
import { findFirstCommentAt } from '../comments/comments.repository';
import type { ArticleRow, Db } from '../database/tables';

/**
 * Sites may close discussions automatically `autoCloseAfterDays` after their first comment. No
 * scheduler does it: the first post attempted after the deadline finds it due, closes the article
 * (with its `article:updated` event) and is refused like any post to a closed article.
 */
export async function autoCloseDue(db: Db, article: ArticleRow, settings: SiteSettings, now: Date): Promise<boolean> {
  const days = settings.autoCloseAfterDays;
  if (days === undefined) return false;
  const first = await findFirstCommentAt(db, article.id);
  return first !== undefined && now.getTime() - first.getTime() > days * 24 * 3600 * 1000;
}
