import { sql } from 'kysely';
import type { Comment } from '@parley/contracts';
import type { Db } from '../database/tables';

/** A position in the log as the follower reads it: (transaction, article, seq). */
export interface LogPosition {
  txid: string;
  articleId: string;
  seq: number;
}

export interface CreatedEvent extends LogPosition {
  comment: Comment;
}

const cursorName = 'notifications';

/**
 * Takes (or renews) the lease to follow the log; undefined while another node holds an unexpired
 * one. `now` is the service clock, so a stopped node's lease runs out in tests as in production.
 */
export async function claimLease(db: Db, holder: string, now: Date, leaseMs: number): Promise<LogPosition | undefined> {
  const row = await db
    .updateTable('notification_cursor')
    .set({ holder, lease_until: new Date(now.getTime() + leaseMs) })
    .where('name', '=', cursorName)
    .where((eb) => eb.or([eb('holder', '=', holder), eb('holder', 'is', null), eb('lease_until', '<', now)]))
    .returning([sql<string>`txid::text`.as('txid'), 'article_id', 'seq'])
    .executeTakeFirst();
  return row ? { txid: row.txid, articleId: row.article_id, seq: row.seq } : undefined;
}

/** Moves the cursor past `to` and renews the lease; false when the lease went to another node meanwhile. */
export async function advanceCursor(db: Db, holder: string, to: LogPosition, now: Date, leaseMs: number): Promise<boolean> {
  const result = await db
    .updateTable('notification_cursor')
    .set({ txid: sql`${to.txid}::xid8`, article_id: to.articleId, seq: to.seq, lease_until: new Date(now.getTime() + leaseMs) })
    .where('name', '=', cursorName)
    .where('holder', '=', holder)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function releaseLease(db: Db, holder: string): Promise<void> {
  await db.updateTable('notification_cursor').set({ holder: null, lease_until: null }).where('name', '=', cursorName).where('holder', '=', holder).execute();
}

/**
 * `comment:created` events after `after`, in (txid, article, seq) order, written by transactions
 * older than every transaction still running: those can no longer gain a row below the cursor,
 * whatever order transactions commit in. A long transaction elsewhere only delays notices.
 */
export async function listCreatedAfter(db: Db, after: LogPosition, limit: number): Promise<CreatedEvent[]> {
  const { rows } = await sql<{ txid: string; article_id: string; seq: number; payload: { comment: Comment } }>`
    select e.txid::text as txid, e.article_id, e.seq, e.payload
    from comments.article_events e
    where e.txid is not null and e.type = 'comment:created'
      and (e.txid, e.article_id, e.seq) > (${after.txid}::xid8, ${after.articleId}::uuid, ${after.seq}::int)
      and e.txid < pg_snapshot_xmin(pg_current_snapshot())
    order by e.txid, e.article_id, e.seq
    limit ${limit}`.execute(db);
  return rows.map((row) => ({ txid: row.txid, articleId: row.article_id, seq: row.seq, comment: row.payload.comment }));
}

/**
 * A new comment joins the next digest of each follower of its article but its author (who
 * followed before it was published): the batch
 * still open for that follower and article (due later than now), else a new one due in `windowMs`.
 */
export async function queueDigestItems(db: Db, item: { articleId: string; commentId: string; authorId: string | undefined; now: Date; windowMs: number }): Promise<void> {
  const newBatch = new Date(item.now.getTime() + item.windowMs);
  await sql`
    insert into comments.follow_digest_items (user_id, article_id, comment_id, due_at)
    select f.user_id, f.article_id, ${item.commentId}::uuid,
      coalesce(
        (select max(i.due_at) from comments.follow_digest_items i
          where i.user_id = f.user_id and i.article_id = f.article_id and i.due_at > ${item.now}),
        ${newBatch})
    from comments.article_follows f
    join comments.comments c on c.id = ${item.commentId}::uuid
    where f.article_id = ${item.articleId}::uuid and f.user_id is distinct from ${item.authorId ?? null}::uuid
      -- Only what readers first saw after the reader followed (the follower reads the log later).
      and coalesce(c.published_at, c.created_at) >= f.created_at
    on conflict do nothing`.execute(db);
}

export interface DueBatch {
  userId: string;
  articleId: string;
  dueAt: Date;
}

export async function listDueBatches(db: Db, now: Date, limit: number): Promise<DueBatch[]> {
  const rows = await db
    .selectFrom('follow_digest_items')
    .select(['user_id', 'article_id', 'due_at'])
    .where('due_at', '<=', now)
    .groupBy(['user_id', 'article_id', 'due_at'])
    .orderBy('due_at')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ userId: row.user_id, articleId: row.article_id, dueAt: row.due_at }));
}

/** The comments of a batch that are still published, oldest first, with their article. */
export async function readBatch(db: Db, batch: DueBatch) {
  const [comments, article] = await Promise.all([
    db
      .selectFrom('follow_digest_items as i')
      .innerJoin('comments as c', 'c.id', 'i.comment_id')
      .select(['c.id', 'c.author_id', 'c.author_name', 'c.body'])
      .where('i.user_id', '=', batch.userId)
      .where('i.article_id', '=', batch.articleId)
      .where('i.due_at', '=', batch.dueAt)
      .where('c.status', '=', 'published')
      .orderBy('c.created_at')
      .orderBy('c.id')
      .execute(),
    db.selectFrom('articles').select(['key', 'title', 'url']).where('id', '=', batch.articleId).executeTakeFirst(),
  ]);
  return { comments, article };
}

export async function deleteBatch(db: Db, batch: DueBatch): Promise<void> {
  await db
    .deleteFrom('follow_digest_items')
    .where('user_id', '=', batch.userId)
    .where('article_id', '=', batch.articleId)
    .where('due_at', '=', batch.dueAt)
    .execute();
}

/** Whether events after `after` exist that a transaction still running keeps the follower from reading yet. */
export async function hasUnsettled(db: Db, after: LogPosition): Promise<boolean> {
  const { rows } = await sql<{ one: number }>`
    select 1 as one from comments.article_events e
    where e.txid is not null and e.type = 'comment:created'
      and (e.txid, e.article_id, e.seq) > (${after.txid}::xid8, ${after.articleId}::uuid, ${after.seq}::int)
      and e.txid >= pg_snapshot_xmin(pg_current_snapshot())
    limit 1`.execute(db);
  return rows.length > 0;
}

/** Where the queue mail's window opened (null: never), read by the lease holder. */
export async function queueWindow(db: Db): Promise<Date | null> {
  const row = await db.selectFrom('notification_cursor').select('queue_checked_at').where('name', '=', cursorName).executeTakeFirst();
  return row?.queue_checked_at ?? null;
}

/** Opens the next window of the queue mail; false when the lease went to another node. */
export async function openQueueWindow(db: Db, holder: string, at: Date): Promise<boolean> {
  const result = await db.updateTable('notification_cursor').set({ queue_checked_at: at }).where('name', '=', cursorName).where('holder', '=', holder).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Comments that entered a moderation queue in (since, until], per site: held when posted (pending
 * since `created_at`), or reported for the first time (`reported_at`). Served by the queues' partial
 * indexes. A moderator is nudged, not given an exact count: a comment whose write committed after
 * the window closed with an earlier timestamp is not counted.
 */
export async function countNewQueueItems(db: Db, since: Date, until: Date): Promise<{ siteId: string; siteName: string; newItems: number }[]> {
  const { rows } = await sql<{ site_id: string; name: string; n: number }>`
    select a.site_id, s.name, count(*)::int as n
    from comments.comments c
    join comments.articles a on a.id = c.article_id
    join comments.sites s on s.id = a.site_id
    where (c.status = 'pending' and c.created_at > ${since} and c.created_at <= ${until})
       or (c.open_reports > 0 and c.reported_at > ${since} and c.reported_at <= ${until})
    group by a.site_id, s.name
    order by a.site_id
    limit 1000`.execute(db);
  return rows.map((row) => ({ siteId: row.site_id, siteName: row.name.slice(0, 200), newItems: row.n }));
}
