import { sql } from 'kysely';
import type { ArticleRow, CommentRow, Db, NewComment } from '../database/tables';

/** How an imported author is named in `comments.author_id`: never an account id, so nobody can act as them. */
export const importedAuthorId = (id: string) => `imported:${id}`;

export interface PlacedComment {
  id: string;
  rootId: string | null;
  depth: number;
}

/** The comments an earlier import of `source` already put in the article, by their source id. */
export async function importedCommentsOf(db: Db, articleId: string, source: string): Promise<Map<string, PlacedComment>> {
  const rows = await db
    .selectFrom('comments')
    .select(['id', 'root_id', 'depth', 'import_id'])
    .where('article_id', '=', articleId)
    .where('import_source', '=', source)
    // Spelled out so the partial index on (article_id, import_source, import_id) serves it.
    .where('import_id', 'is not', null)
    .execute();
  return new Map(rows.map((row) => [row.import_id!, { id: row.id, rootId: row.root_id, depth: row.depth }]));
}

/**
 * The imported author records for these source keys, created when missing. Returns, per key, the
 * author id comments carry: the claiming account's once someone has claimed the record.
 */
export async function upsertImportedAuthors(
  db: Db,
  siteId: string,
  source: string,
  authors: { sourceKey: string; name: string; email: string | null }[],
): Promise<{ ids: Map<string, string>; created: number }> {
  const ids = new Map<string, string>();
  let created = 0;
  // Articles are imported a few at once, each in its own transaction, and share authors: taking
  // the rows' locks in one order (by key) keeps two of them from deadlocking on each other.
  const ordered = [...authors].sort((a, b) => (a.sourceKey < b.sourceKey ? -1 : a.sourceKey > b.sourceKey ? 1 : 0));
  for (let at = 0; at < ordered.length; at += 1000) {
    const rows = await db
      .insertInto('imported_authors')
      .values(ordered.slice(at, at + 1000).map((a) => ({ site_id: siteId, source, source_key: a.sourceKey, name: a.name, email: a.email })))
      // A no-op update, so the existing row comes back too; `xmax = 0` tells the new ones apart.
      .onConflict((oc) => oc.columns(['site_id', 'source', 'source_key']).doUpdateSet({ source_key: (eb) => eb.ref('excluded.source_key') }))
      .returning(['id', 'source_key', 'claimed_by', sql<boolean>`xmax = 0`.as('inserted')])
      .execute();
    for (const row of rows) {
      ids.set(row.source_key, row.claimed_by ?? importedAuthorId(row.id));
      if (row.inserted) created += 1;
    }
  }
  return { ids, created };
}

export async function insertImportedComments(db: Db, rows: NewComment[]): Promise<void> {
  // ~20 parameters a row: well under PostgreSQL's 65,535 per statement.
  for (let at = 0; at < rows.length; at += 1000) await db.insertInto('comments').values(rows.slice(at, at + 1000)).execute();
}

/** Adds to the reply counts of comments that were there before the import (new ones are inserted counted). */
export async function addReplies(db: Db, added: Map<string, number>): Promise<void> {
  const entries = [...added];
  for (let at = 0; at < entries.length; at += 1000) {
    const values = sql.join(entries.slice(at, at + 1000).map(([id, n]) => sql`(${id}::uuid, ${n}::int)`));
    await sql`update comments.comments parent set reply_count = parent.reply_count + added.n
              from (values ${values}) as added(id, n) where parent.id = added.id`.execute(db);
  }
}

/** Creates the article unless it exists; true when this call created it. */
export async function createArticleIfMissing(db: Db, siteId: string, article: { key: string; title: string | null; url: string | null }): Promise<boolean> {
  const created = await db
    .insertInto('articles')
    .values({ site_id: siteId, key: article.key, title: article.title, url: article.url })
    .onConflict((oc) => oc.columns(['site_id', 'key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return created !== undefined;
}

/** Fills what an existing article lacks (a title, a url) from the import; never overwrites. */
export async function fillArticleMetadata(db: Db, id: string, metadata: { title: string | null; url: string | null }): Promise<void> {
  await db
    .updateTable('articles')
    .set((eb) => ({ title: eb.fn.coalesce('title', eb.val(metadata.title)), url: eb.fn.coalesce('url', eb.val(metadata.url)) }))
    .where('id', '=', id)
    .execute();
}

// ---- export ------------------------------------------------------------------------------------

export async function articlesPage(db: Db, siteId: string, afterKey: string | null, limit: number): Promise<ArticleRow[]> {
  let query = db.selectFrom('articles').selectAll().where('site_id', '=', siteId);
  if (afterKey !== null) query = query.where('key', '>', afterKey);
  return query.orderBy('key').limit(limit).execute();
}

/** An article's comments parents first (by depth, then time), a page at a time. */
export async function commentsPage(
  db: Db,
  articleId: string,
  after: { depth: number; createdAt: Date; id: string } | null,
  limit: number,
): Promise<CommentRow[]> {
  let query = db.selectFrom('comments').selectAll().where('article_id', '=', articleId);
  if (after) {
    query = query.where((eb) =>
      eb(eb.refTuple('depth', 'created_at', 'id'), '>', eb.tuple(after.depth, after.createdAt, after.id)),
    );
  }
  return query.orderBy('depth').orderBy('created_at').orderBy('id').limit(limit).execute();
}

export async function importedAuthorsPage(
  db: Db,
  siteId: string,
  afterId: string | null,
  limit: number,
): Promise<{ id: string; source: string; name: string; email: string | null; claimed_by: string | null }[]> {
  let query = db.selectFrom('imported_authors').select(['id', 'source', 'name', 'email', 'claimed_by']).where('site_id', '=', siteId);
  if (afterId !== null) query = query.where('id', '>', afterId);
  return query.orderBy('id').limit(limit).execute();
}

// ---- claims ------------------------------------------------------------------------------------

/** Hands every unclaimed imported author with this email (on any site) and their comments to the account. */
export async function claimImportedAuthors(db: Db, userId: string, email: string, at: Date): Promise<{ authors: number; comments: number }> {
  const claimed = await db
    .updateTable('imported_authors')
    .set({ claimed_by: userId, claimed_at: at })
    .where(sql<boolean>`lower(email) = lower(${email})`)
    .where('claimed_by', 'is', null)
    .returning('id')
    .execute();
  if (claimed.length === 0) return { authors: 0, comments: 0 };
  const moved = await db
    .updateTable('comments')
    .set({ author_id: userId })
    .where('author_id', 'in', claimed.map((row) => importedAuthorId(row.id)))
    .executeTakeFirst();
  return { authors: claimed.length, comments: Number(moved.numUpdatedRows) };
}
