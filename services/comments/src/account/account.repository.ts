import type { Db } from '../database/tables';
import type { KeysetPosition } from '../threads/cursor';

/**
 * A page of one author's comments with their articles, newest first, after a keyset position.
 * Served by `comments_by_author` (author_id, created_at) read backwards; the site, when given,
 * filters through the article joined by its key.
 */
export async function listMyComments(db: Db, authorId: string, page: { siteId?: string | undefined; limit: number; after?: KeysetPosition | undefined }) {
  let query = db
    .selectFrom('comments')
    .innerJoin('articles', 'articles.id', 'comments.article_id')
    .select([
      'comments.id',
      'comments.body',
      'comments.status',
      'comments.removal_reason',
      'comments.created_at',
      'comments.reply_count',
      'articles.site_id',
      'articles.key',
      'articles.title',
      'articles.url',
    ])
    .where('comments.author_id', '=', authorId);
  if (page.siteId !== undefined) query = query.where('articles.site_id', '=', page.siteId);
  const after = page.after;
  if (after) query = query.where((eb) => eb(eb.refTuple('comments.created_at', 'comments.id'), '<', eb.tuple(after.createdAt, after.id)));
  return query.orderBy('comments.created_at', 'desc').orderBy('comments.id', 'desc').limit(page.limit).execute();
}
