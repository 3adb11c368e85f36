import { notFound } from '@parley/platform';
import { lockArticleOfComment } from '../articles/articles.repository';
import type { ArticleRow, CommentRow, Db } from '../database/tables';
import { findComment } from './comments.repository';

/**
 * What every write to one comment starts with: lock the comment's article (writers lock it first,
 * so the article's events stay in order), then read the comment. 404 `comment_not_found` when
 * there is no such comment, or, with `publishedOnly`, when readers can't see it (held or a tombstone).
 */
export async function lockedCommentOr404(
  trx: Db,
  commentId: string,
  options: { publishedOnly?: boolean } = {},
): Promise<{ article: ArticleRow; comment: CommentRow }> {
  const article = await lockArticleOfComment(trx, commentId);
  const comment = article && (await findComment(trx, commentId));
  if (!article || !comment || (options.publishedOnly && comment.status !== 'published')) {
    throw notFound('comment_not_found', 'There is no such comment.');
  }
  return { article, comment };
}
