import { sql } from 'kysely';
import type { ArticleRow, Db } from '../database/tables';
import type { KeysetPosition } from '../threads/cursor';

/** A site's articles, newest first (keyset on created_at, id), optionally by state or key/title text. */
export async function listSiteArticles(
  db: Db,
  siteId: string,
  page: { state?: 'open' | 'closed' | undefined; q?: string | undefined; limit: number; after?: KeysetPosition | undefined },
): Promise<ArticleRow[]> {
  let query = db.selectFrom('articles').selectAll().where('site_id', '=', siteId);
  if (page.state) query = query.where('state', '=', page.state);
  if (page.q) {
    const pattern = `%${page.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) => eb.or([eb('key', 'ilike', pattern), eb('title', 'ilike', pattern)]));
  }
  const after = page.after;
  if (after) query = query.where((eb) => eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(after.createdAt, after.id)));
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit).execute();
}

export interface ArticleActivity {
  lastActivityAt: Date | null;
  pendingCount: number;
  reportedCount: number;
}

/** Per article: when its latest event happened, and how many of its comments are held or reported. */
export async function articleActivity(db: Db, articles: ArticleRow[]): Promise<Map<string, ArticleActivity>> {
  const out = new Map<string, ArticleActivity>();
  if (articles.length === 0) return out;
  const ids = articles.map((article) => article.id);
  const withEvents = articles.filter((article) => article.last_seq > 0);
  const [events, counts] = await Promise.all([
    withEvents.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom('article_events')
          .select(['article_id', 'created_at'])
          .where((eb) => eb.or(withEvents.map((a) => eb.and([eb('article_id', '=', a.id), eb('seq', '=', a.last_seq)]))))
          .execute(),
    db
      .selectFrom('comments')
      .select([
        'article_id',
        sql<number>`(count(*) filter (where status = 'pending'))::int`.as('pending'),
        sql<number>`(count(*) filter (where open_reports > 0))::int`.as('reported'),
      ])
      .where('article_id', 'in', ids)
      .where((eb) => eb.or([eb('status', '=', 'pending'), eb('open_reports', '>', 0)]))
      .groupBy('article_id')
      .execute(),
  ]);
  for (const article of articles) out.set(article.id, { lastActivityAt: null, pendingCount: 0, reportedCount: 0 });
  for (const event of events) out.get(event.article_id)!.lastActivityAt = event.created_at;
  for (const row of counts) Object.assign(out.get(row.article_id)!, { pendingCount: Number(row.pending), reportedCount: Number(row.reported) });
  return out;
}
