import { sql } from 'kysely';
import type { ThreadSort } from '@parley/contracts';
import type { CommentRow, Db } from '../database/tables';
import type { KeysetPosition } from './cursor';

/**
 * What a thread shows: everything readers have ever been shown (published comments, tombstones,
 * comments held after publication), plus the viewer's own comments waiting for premoderation.
 * Comments never published (still pending, or rejected or withdrawn while pending) stay out.
 */
function visibleTo(viewerId: string | undefined, table?: 'reply') {
  const col = (name: string) => sql.ref(table ? `${table}.${name}` : name);
  if (viewerId === undefined) return sql<boolean>`${col('published_at')} is not null`;
  return sql<boolean>`(${col('published_at')} is not null or (${col('status')} = 'pending' and ${col('author_id')} = ${viewerId}))`;
}

/**
 * Keyset reads of a discussion. Each query walks one of the indexes made for it (see the
 * comments migration) from the cursor onwards, so a page costs the same on page 1 and page 500.
 * Comments never published are shown only to their author (see visibleTo).
 */

export async function listTopLevelComments(
  db: Db,
  articleId: string,
  page: { sort: ThreadSort; limit: number; after?: KeysetPosition | undefined; viewerId?: string | undefined },
): Promise<CommentRow[]> {
  let query = db
    .selectFrom('comments')
    .selectAll()
    .where('article_id', '=', articleId)
    .where('parent_id', 'is', null)
    .where(visibleTo(page.viewerId));
  const after = page.after;
  if (page.sort === 'oldest') {
    if (after) query = query.where((eb) => eb(eb.refTuple('created_at', 'id'), '>', eb.tuple(after.createdAt, after.id)));
    query = query.orderBy('created_at', 'asc').orderBy('id', 'asc');
  } else if (page.sort === 'newest') {
    if (after) query = query.where((eb) => eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(after.createdAt, after.id)));
    query = query.orderBy('created_at', 'desc').orderBy('id', 'desc');
  } else {
    if (after) {
      query = query.where((eb) =>
        eb(eb.refTuple('reaction_count', 'created_at', 'id'), '<', eb.tuple(after.reactionCount, after.createdAt, after.id)),
      );
    }
    query = query.orderBy('reaction_count', 'desc').orderBy('created_at', 'desc').orderBy('id', 'desc');
  }
  return query.limit(page.limit).execute();
}

/**
 * The first `perParent` direct replies (oldest first) of each of `parentIds`, for a whole thread
 * page in one query: a lateral join runs the small per-parent index scan once per parent.
 */
export async function listFirstReplies(
  db: Db,
  parentIds: string[],
  perParent: number,
  viewerId?: string | undefined,
): Promise<CommentRow[]> {
  if (parentIds.length === 0) return [];
  return db
    .selectFrom('comments as parent')
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('comments as reply')
          .selectAll('reply')
          .whereRef('reply.parent_id', '=', 'parent.id')
          .where(visibleTo(viewerId, 'reply'))
          .orderBy('reply.created_at', 'asc')
          .orderBy('reply.id', 'asc')
          .limit(perParent)
          .as('first_replies'),
      (join) => join.onTrue(),
    )
    .selectAll('first_replies')
    .where('parent.id', 'in', parentIds)
    .orderBy('first_replies.created_at', 'asc')
    .orderBy('first_replies.id', 'asc')
    .execute();
}

export async function listReplies(
  db: Db,
  parentId: string,
  page: { limit: number; after?: KeysetPosition | undefined; viewerId?: string | undefined },
): Promise<CommentRow[]> {
  let query = db
    .selectFrom('comments')
    .selectAll()
    .where('parent_id', '=', parentId)
    .where(visibleTo(page.viewerId));
  const after = page.after;
  if (after) query = query.where((eb) => eb(eb.refTuple('created_at', 'id'), '>', eb.tuple(after.createdAt, after.id)));
  return query.orderBy('created_at', 'asc').orderBy('id', 'asc').limit(page.limit).execute();
}

/**
 * What only the author knows about their comments on an article: those others don't see as
 * written (waiting for a moderator, never published or held after publication), and the tombstones
 * readers saw whose removal a moderator gave a reason for. Few per author; served by the author index.
 */
export async function listOwnPrivateComments(db: Db, articleId: string, authorId: string): Promise<CommentRow[]> {
  return db
    .selectFrom('comments')
    .selectAll()
    .where('author_id', '=', authorId)
    .where('article_id', '=', articleId)
    .where((eb) =>
      eb.or([eb('status', '=', 'pending'), eb.and([eb('status', '=', 'removed'), eb('removal_reason', 'is not', null), eb('published_at', 'is not', null)])]),
    )
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .execute();
}
