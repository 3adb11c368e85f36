import type { Comment, ThreadPage, ThreadSort, ThreadViewer } from '@parley/contracts';
import type { CommentRow } from '../database/tables';
import type { KeysetPosition } from './cursor';

/**
 * A logged-in reader's page is the shared page plus what only they know (docs/adr/0010): which
 * comments they reacted to, their own comments waiting for a moderator, and why a moderator removed
 * their own removed comments (on their tombstones). These helpers decide
 * which of their held comments belong on a page and lay them over it; the widget does the same
 * with the answer of the viewer route.
 */

/** -1 when `a` comes first in `sort`'s order, 1 when `b` does (the order of threads.repository). */
export function compareInSort(sort: ThreadSort, a: KeysetPosition, b: KeysetPosition): number {
  const byTime = a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  if (sort === 'oldest') return Math.sign(byTime);
  if (sort === 'top' && a.reactionCount !== b.reactionCount) return a.reactionCount > b.reactionCount ? -1 : 1;
  return Math.sign(-byTime);
}

const position = (row: CommentRow): KeysetPosition => ({ createdAt: row.created_at, id: row.id, reactionCount: row.reaction_count });

/**
 * Which of the viewer's held comments belong on a page: those already on it (held after readers
 * saw them, shown to others as tombstones); never-published top-level ones that sort inside the
 * page's keyset range (after `after`, up to and including `last`, the position its `nextCursor`
 * names); never-published replies to a top-level comment of the page.
 */
export function ownOnPage(
  rows: readonly CommentRow[],
  page: { sort: ThreadSort; after?: KeysetPosition | undefined; last?: KeysetPosition | undefined; ids: ReadonlySet<string>; topLevelIds: ReadonlySet<string> },
): CommentRow[] {
  return rows.filter((row) => {
    if (page.ids.has(row.id)) return true;
    if (row.published_at !== null) return false;
    if (row.parent_id !== null) return page.topLevelIds.has(row.parent_id);
    const at = position(row);
    if (page.after && compareInSort(page.sort, page.after, at) >= 0) return false;
    return !page.last || compareInSort(page.sort, at, page.last) <= 0;
  });
}

/**
 * The shared page as this viewer sees it: their held comments in place or where they sort, and
 * `reacted` on every comment. The shared page itself is left untouched.
 */
export function applyViewer(shared: ThreadPage, viewer: ThreadViewer, sort: ThreadSort): ThreadPage {
  const own = new Map(viewer.own.map((comment) => [comment.id, comment]));
  const reacted = new Set(viewer.reacted);
  const reasons = new Map((viewer.removed ?? []).map((removed) => [removed.id, removed.reason]));
  const mark = (comment: Comment): Comment => {
    const removalReason = comment.status === 'removed' ? reasons.get(comment.id) : undefined;
    return { ...comment, reacted: reacted.has(comment.id), ...(removalReason ? { removalReason } : {}) };
  };
  const placed = new Set<string>();
  const replacement = (comment: Comment): Comment => {
    const mine = own.get(comment.id);
    if (!mine) return comment;
    placed.add(comment.id);
    return { ...mine, ...(comment.replies ? { replies: comment.replies } : {}) };
  };

  const comments = shared.comments.map((comment) => {
    const top = replacement(comment);
    const replies = (top.replies ?? []).map(replacement);
    for (const mine of viewer.own) {
      if (mine.parentId !== comment.id || placed.has(mine.id)) continue;
      placed.add(mine.id);
      insertSorted(replies, mine, 'oldest');
    }
    return { ...top, ...(top.replies ? { replies } : {}) };
  });
  for (const mine of viewer.own) {
    if (placed.has(mine.id) || mine.parentId !== null) continue;
    insertSorted(comments, { ...mine, replies: mine.replies ?? [] }, sort);
  }
  return { ...shared, comments: comments.map((comment) => ({ ...mark(comment), ...(comment.replies ? { replies: comment.replies.map(mark) } : {}) })) };
}

function insertSorted(list: Comment[], comment: Comment, sort: ThreadSort): void {
  const at = (c: Comment): KeysetPosition => ({ createdAt: new Date(c.createdAt), id: c.id, reactionCount: c.reactionCount });
  const index = list.findIndex((other) => compareInSort(sort, at(comment), at(other)) < 0);
  if (index < 0) list.push(comment);
  else list.splice(index, 0, comment);
}
