import type { Article, Comment } from '@parley/contracts';
import type { ArticleRow, CommentRow } from '../database/tables';

const tombstones = new Set<CommentRow['status']>(['deleted', 'removed']);

export function isTombstone(row: Pick<CommentRow, 'status'>): boolean {
  return tombstones.has(row.status);
}

/**
 * Who a comment is presented to. Readers see published comments and tombstones; the author also
 * sees their own comment while it waits for a moderator (status `pending`); moderators see every
 * comment as written, whatever its status.
 */
export interface Audience {
  viewerId?: string | undefined;
  moderator?: boolean;
}

/**
 * A comment as every reader sees it (REST and live events alike). A tombstone keeps its place
 * and counts so its replies still hang off it, but shows nothing of what was said or by whom.
 * A comment held for review after readers had seen it (too many reports, a suspect edit) is
 * shown to other readers as a `removed` tombstone until a moderator approves it.
 */
export function presentComment(row: CommentRow, replies?: CommentRow[], audience: Audience = {}): Comment {
  const own = audience.viewerId !== undefined && audience.viewerId === row.author_id;
  const heldFromViewer = row.status === 'pending' && !own;
  const hidden = !audience.moderator && (isTombstone(row) || heldFromViewer);
  return {
    id: row.id,
    parentId: row.parent_id,
    rootId: row.root_id,
    depth: row.depth,
    author: hidden ? null : { id: row.author_id, name: row.author_name, ...(row.author_badge ? { badge: row.author_badge } : {}) },
    body: hidden ? '' : row.body,
    html: hidden ? '' : row.html,
    status: heldFromViewer && !audience.moderator ? 'removed' : row.status,
    replyCount: row.reply_count,
    reactionCount: row.reaction_count,
    createdAt: row.created_at.toISOString(),
    editedAt: row.edited_at ? row.edited_at.toISOString() : null,
    // Why a moderator removed it: for its author and moderators only, never on a shared page or live event.
    ...((own || audience.moderator) && row.status === 'removed' && row.removal_reason ? { removalReason: row.removal_reason } : {}),
    ...(replies ? { replies: replies.map((reply) => presentComment(reply, undefined, audience)) } : {}),
  };
}

/** An article that has no row yet (nobody has posted) reads as open, empty, at seq 0. */
export function presentArticle(site: string, key: string, row: ArticleRow | undefined): Article {
  return {
    site,
    key,
    title: row?.title ?? null,
    url: row?.url ?? null,
    state: row?.state ?? 'open',
    commentCount: row?.comment_count ?? 0,
    seq: row?.last_seq ?? 0,
  };
}
