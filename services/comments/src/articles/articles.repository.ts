import type { CompiledQuery } from 'kysely';
import type { ArticleRow, Db } from '../database/tables';

export async function findArticle(db: Db, siteId: string, key: string): Promise<ArticleRow | undefined> {
  return db.selectFrom('articles').selectAll().where('site_id', '=', siteId).where('key', '=', key).executeTakeFirst();
}

/**
 * What every thread read checks first, in one read of two unique indexes: whether the site exists
 * and, if it does, the article's row (undefined before anyone commented). Its `last_seq`, title
 * and url are what a cached page is current against.
 */
export async function findSiteArticle(db: Db, siteId: string, key: string): Promise<{ siteFound: boolean; article: ArticleRow | undefined }> {
  // Every thread read asks this, so the statement is built and compiled once per database handle
  // and only its two parameters change (they are told apart by placeholder values).
  let compiled = siteArticleQueries.get(db);
  if (!compiled) {
    compiled = db
      .selectFrom('sites')
      .leftJoin('articles', (join) => join.onRef('articles.site_id', '=', 'sites.id').on('articles.key', '=', keyPlaceholder))
      .selectAll('articles')
      .where('sites.id', '=', sitePlaceholder)
      .compile();
    siteArticleQueries.set(db, compiled);
  }
  const parameters = compiled.parameters.map((value) => (value === sitePlaceholder ? siteId : value === keyPlaceholder ? key : value));
  const { rows } = await db.executeQuery<Nullable<ArticleRow>>({ ...compiled, parameters });
  const row = rows[0];
  if (!row) return { siteFound: false, article: undefined };
  return { siteFound: true, article: row.id === null ? undefined : (row as ArticleRow) };
}

type Nullable<T> = { [K in keyof T]: T[K] | null };
const sitePlaceholder = '\u0000site';
const keyPlaceholder = '\u0000key';
const siteArticleQueries = new WeakMap<Db, CompiledQuery<Nullable<ArticleRow>>>();

/**
 * The article row, created on first use, locked until the transaction ends. The lock serializes
 * every write to one article's discussion, which is what keeps its event numbers gap-free.
 */
export async function lockOrCreateArticle(
  trx: Db,
  article: { siteId: string; key: string; title?: string | undefined; url?: string | undefined },
): Promise<ArticleRow> {
  await trx
    .insertInto('articles')
    .values({ site_id: article.siteId, key: article.key, title: article.title ?? null, url: article.url ?? null })
    .onConflict((oc) => oc.columns(['site_id', 'key']).doNothing())
    .execute();
  return trx
    .selectFrom('articles')
    .selectAll()
    .where('site_id', '=', article.siteId)
    .where('key', '=', article.key)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

/** The article row by id; throws when there is none (callers hold an id they just read). */
export async function articleById(db: Db, id: string): Promise<ArticleRow> {
  return db.selectFrom('articles').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/**
 * Locks, in id order, the site's articles the author has commented on: the order every writer
 * that locks several articles keeps, so two such writers can't deadlock.
 */
export async function lockArticlesCommentedBy(trx: Db, siteId: string, authorId: string): Promise<ArticleRow[]> {
  return trx
    .selectFrom('articles')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('id', 'in', (eb) => eb.selectFrom('comments').select('article_id').where('author_id', '=', authorId))
    .orderBy('id')
    .forUpdate()
    .execute();
}

/**
 * Takes the article's next event number and adjusts its visible comment count in one step;
 * returns what a live event needs to name the article.
 */
export async function advanceArticle(
  trx: Db,
  id: string,
  commentCountDelta: number,
): Promise<{ seq: number; siteId: string; key: string }> {
  const row = await trx
    .updateTable('articles')
    .set((eb) => ({
      last_seq: eb('last_seq', '+', 1),
      comment_count: eb('comment_count', '+', commentCountDelta),
    }))
    .where('id', '=', id)
    .returning(['last_seq', 'site_id', 'key'])
    .executeTakeFirstOrThrow();
  return { seq: row.last_seq, siteId: row.site_id, key: row.key };
}

export async function setArticleState(db: Db, id: string, state: ArticleRow['state']): Promise<void> {
  await db.updateTable('articles').set({ state }).where('id', '=', id).execute();
}

/** true/false overrides the site's premoderation setting for this article; null follows the site again. */
export async function setArticleMetadata(db: Db, id: string, metadata: { title?: string | null; url?: string | null }): Promise<void> {
  await db.updateTable('articles').set(metadata).where('id', '=', id).execute();
}

export async function setArticlePremoderation(db: Db, id: string, premoderation: boolean | null): Promise<void> {
  await db.updateTable('articles').set({ premoderation }).where('id', '=', id).execute();
}

/**
 * Comment counts of several articles of a site in one query. `siteFound` is false when the site
 * doesn't exist; keys without an article row are simply absent from `counts`.
 */
export async function countComments(
  db: Db,
  siteId: string,
  keys: string[],
): Promise<{ siteFound: boolean; counts: Map<string, number> }> {
  const rows = await db
    .selectFrom('sites')
    .leftJoin('articles', (join) => join.onRef('articles.site_id', '=', 'sites.id').on('articles.key', 'in', keys))
    .select(['articles.key', 'articles.comment_count'])
    .where('sites.id', '=', siteId)
    .execute();
  const counts = new Map<string, number>();
  for (const row of rows) if (row.key !== null && row.comment_count !== null) counts.set(row.key, row.comment_count);
  return { siteFound: rows.length > 0, counts };
}

/** Locks the article a comment belongs to; writers lock the article first so events stay ordered. */
export async function lockArticleOfComment(trx: Db, commentId: string): Promise<ArticleRow | undefined> {
  return trx
    .selectFrom('articles')
    .innerJoin('comments', 'comments.article_id', 'articles.id')
    .selectAll('articles')
    .where('comments.id', '=', commentId)
    .forUpdate(['articles'])
    .executeTakeFirst();
}
