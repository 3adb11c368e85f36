import { sql } from 'kysely';
import { schema } from '../database';
import type { CommentRow, Db, NewComment } from '../database/tables';

export async function findComment(db: Db, id: string): Promise<CommentRow | undefined> {
  return db.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirst();
}

/** When the article's first comment was posted (undefined before any). */
export async function findFirstCommentAt(db: Db, articleId: string): Promise<Date | undefined> {
  // The first comment is always top level, so the top-level index finds it in one step.
  const first = await db
    .selectFrom('comments')
    .select('created_at')
    .where('article_id', '=', articleId)
    .where('parent_id', 'is', null)
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .limit(1)
    .executeTakeFirst();
  return first?.created_at;
}

/** The author's comments on these articles that have one of `statuses`, oldest first. */
export async function listAuthorCommentsOn(
  db: Db,
  authorId: string,
  articleIds: string[],
  statuses: CommentRow['status'][],
): Promise<CommentRow[]> {
  if (articleIds.length === 0) return [];
  return db
    .selectFrom('comments')
    .selectAll('comments')
    .where('author_id', '=', authorId)
    .where('article_id', 'in', articleIds)
    .where('status', 'in', statuses)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function insertComment(trx: Db, comment: NewComment): Promise<CommentRow> {
  return trx.insertInto('comments').values(comment).returningAll().executeTakeFirstOrThrow();
}

/** Direct replies are counted whatever becomes of them later; tombstones keep their place. */
export async function incrementReplyCount(trx: Db, id: string): Promise<void> {
  await trx
    .updateTable('comments')
    .set((eb) => ({ reply_count: eb('reply_count', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

export async function updateCommentBody(
  trx: Db,
  id: string,
  change: { body: string; html: string; editedAt: Date },
): Promise<CommentRow> {
  return trx
    .updateTable('comments')
    .set({ body: change.body, html: change.html, edited_at: change.editedAt })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The author's delete: the row stays (as a tombstone) so replies keep their parent. */
export async function markCommentDeleted(trx: Db, id: string, at: Date): Promise<CommentRow> {
  return trx
    .updateTable('comments')
    .set({ status: 'deleted', deleted_at: at })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Changes a comment's status (and, the first time it is shown to readers, its published_at). */
export async function setCommentStatus(
  trx: Db,
  id: string,
  change: { status: CommentRow['status']; publishedAt?: Date; removalReason?: string | undefined },
): Promise<CommentRow> {
  return trx
    .updateTable('comments')
    // The reason belongs to one removal: any other change of status takes it away.
    .set({ status: change.status, removal_reason: change.removalReason ?? null, ...(change.publishedAt ? { published_at: change.publishedAt } : {}) })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Counts a new open report on the comment; returns how many are open now. */
export async function addOpenReport(trx: Db, id: string, at: Date): Promise<number> {
  const row = await trx
    .updateTable('comments')
    .set((eb) => ({ open_reports: eb('open_reports', '+', 1), reported_at: eb.fn.coalesce('reported_at', eb.val(at)) }))
    .where('id', '=', id)
    .returning('open_reports')
    .executeTakeFirstOrThrow();
  return row.open_reports;
}

/** Resolves every open report of a comment (it leaves the reported queue); returns how many there were. */
export async function resolveOpenReports(trx: Db, id: string, at: Date): Promise<number> {
  const resolved = await trx
    .updateTable('reports')
    .set({ resolved_at: at })
    .where('comment_id', '=', id)
    .where('resolved_at', 'is', null)
    .executeTakeFirst();
  await trx.updateTable('comments').set({ open_reports: 0, reported_at: null }).where('id', '=', id).execute();
  return Number(resolved.numUpdatedRows);
}

/**
 * Whether an author has had fewer than `needed` comments published on a site — a newcomer whose
 * comments the site's `premoderateFirstComments` holds. A comment counts once it was ever shown
 * (approved or published at once), also when it was later removed; held or rejected ones do not.
 */
export async function isNewCommenter(db: Db, siteId: string, authorId: string, needed: number): Promise<boolean> {
  const row = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('comments')
        .innerJoin('articles', 'articles.id', 'comments.article_id')
        .select(sql<number>`1`.as('one'))
        .where('comments.author_id', '=', authorId)
        .where('articles.site_id', '=', siteId)
        .where('comments.published_at', 'is not', null)
        .limit(needed)
        .as('shown'),
    )
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count) < needed;
}

/** What one posting statement needs: the comment as it will be stored, and what decides whether it is held. */
export interface PostedComment {
  site: { id: string; premoderation: boolean };
  article: { key: string; title: string | null; url: string | null };
  /** The new comment's row (its id chosen by the caller), as if published; the statement holds it if need be. */
  row: Omit<CommentRow, 'article_id'>;
  /** A suspect word was found, or the author is a newcomer the site holds: held whatever the article says. */
  suspect: boolean;
  /** The article event's payload should the comment be published (its `comment`, presented). */
  eventPayload: object;
}

export interface PostOutcome {
  /** The stored comment; undefined when the statement changed nothing (closed, or the parent is gone). */
  row: CommentRow | undefined;
  /** The article's seq after the statement (the event's seq when published). */
  seq: number;
  held: boolean;
}

/**
 * Posts a comment in one statement, atomically: the article row is created or locked and, unless
 * the comment is held (a suspect word, or the article's or site's premoderation), its seq and
 * visible count advance; the comment is inserted (pending or published), and a published one gets
 * its `comment:created` event and its parent's reply count. An article that is closed — or, for a
 * reply, whose parent is no longer published there — is left as it was and nothing is stored. The
 * lock is held for this one statement only, so posts to a busy article queue for microseconds,
 * not for the round trips of a transaction. (A reply checks its parent in the statement's
 * snapshot: a removal committed while the post waited for the article's lock can still get the
 * reply, which then hangs off the tombstone as earlier replies do.)
 */
export async function insertPostedComment(db: Db, post: PostedComment): Promise<PostOutcome> {
  const articles = sql.table(`${schema}.articles`);
  const comments = sql.table(`${schema}.comments`);
  const events = sql.table(`${schema}.article_events`);
  const { row } = post;
  const held = sql<boolean>`(${post.suspect} or coalesce(articles.premoderation, ${post.site.premoderation}))`;
  const newHeld = post.suspect || post.site.premoderation;
  // A reply needs its article to exist already (its parent is in it), so it never creates one.
  const article = row.parent_id
    ? sql`update ${articles} set last_seq = last_seq + (case when ${held} then 0 else 1 end),
            comment_count = comment_count + (case when ${held} then 0 else 1 end)
          where site_id = ${post.site.id} and key = ${post.article.key} and state = 'open'
            and exists (select 1 from ${comments} parent
                        where parent.id = ${row.parent_id} and parent.article_id = articles.id and parent.status = 'published')
          returning articles.id, articles.last_seq, ${held} as held`
    : sql`insert into ${articles} as articles (site_id, key, title, url, last_seq, comment_count)
          values (${post.site.id}, ${post.article.key}, ${post.article.title}, ${post.article.url}, ${newHeld ? 0 : 1}, ${newHeld ? 0 : 1})
          on conflict (site_id, key) do update
            set last_seq = articles.last_seq + (case when ${held} then 0 else 1 end),
                comment_count = articles.comment_count + (case when ${held} then 0 else 1 end)
            where articles.state = 'open'
          returning articles.id, articles.last_seq, ${held} as held`;
  const result = await sql<CommentRow & { posted_seq: number; posted_held: boolean }>`
    with article as (${article}),
    inserted as (
      insert into ${comments}
        (id, article_id, parent_id, root_id, depth, author_id, author_name, author_badge, body, html, status, created_at, edited_at, deleted_at, published_at)
      select ${row.id}::uuid, article.id, ${row.parent_id}::uuid, ${row.root_id}::uuid, ${row.depth}, ${row.author_id}, ${row.author_name}, ${row.author_badge},
             ${row.body}, ${row.html}, case when article.held then 'pending' else 'published' end, ${row.created_at}, null, null,
             case when article.held then null else ${row.created_at}::timestamptz end
      from article
      returning *
    ),
    event as (
      insert into ${events} (article_id, seq, type, payload, created_at)
      select article.id, article.last_seq, 'comment:created', ${JSON.stringify(post.eventPayload)}::jsonb, ${row.created_at}
      from article where not article.held
    ),
    replied as (
      update ${comments} set reply_count = reply_count + 1
      where id = ${row.parent_id}::uuid and exists (select 1 from article where not article.held)
    )
    select inserted.*, article.last_seq as posted_seq, article.held as posted_held from article join inserted on true`.execute(db);
  const stored = result.rows[0];
  if (!stored) return { row: undefined, seq: 0, held: false };
  const { posted_seq: seq, posted_held: heldNow, ...comment } = stored;
  return { row: comment, seq, held: heldNow };
}
