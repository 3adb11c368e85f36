// Longer than ~300 lines on purpose: one class whose every change (pages, live events, optimistic posts)
// goes through the same private tree, counts and emit, which a split would have to make public.
import type { Article, ArticleEvent, Comment, CommentContext, RepliesPage, ThreadPage, ThreadSort, ThreadViewer } from '@parley/contracts';

/**
 * The discussion as the widget holds it, with no DOM: pages and reply pages assembled into a tree,
 * live events applied in seq order (duplicates dropped, gaps reported), others' new top-level
 * comments held back behind a "N new comments" button, and optimistic posts that are confirmed by
 * the server's comment or rolled back. The view subscribes and redraws only what changed.
 */

/** A comment plus what only this viewer knows about it. */
export interface ThreadComment extends Comment {
  /** Whether the viewer has reacted (sent by the API when the thread is read with a token). */
  reacted?: boolean;
  /** An optimistic post still on its way to the server. */
  sending?: boolean;
}

export interface ThreadNode {
  comment: ThreadComment;
  /** Loaded direct replies, oldest first. */
  children: string[];
  /** undefined: only the replies embedded in the thread page are known; null: all loaded. */
  repliesCursor: string | null | undefined;
}

export type StoreChange =
  | { kind: 'reset' }
  /** The article's count or state changed; `state` only when who may write changed (closed, reopened). */
  | { kind: 'article'; state?: boolean }
  /** `ownRemoved`: a live event removed the viewer's own comment (the reason is theirs to ask for). */
  | { kind: 'comment'; id: string; ownRemoved?: boolean }
  /** The list of replies under `parentId` (null: the top-level list) changed. */
  | { kind: 'children'; parentId: string | null }
  | { kind: 'pending' };

export type EventOutcome = 'applied' | 'duplicate' | 'gap';

const tombstone = (status: Comment['status']) => status === 'removed' || status === 'deleted';

export class ThreadStore {
  article: Article | null = null;
  sort: ThreadSort = 'newest';
  /** Top-level comments in display order. */
  topLevel: string[] = [];
  nextCursor: string | null = null;
  /** The seq of the last article event reflected here. */
  lastSeq = 0;
  /** Others' new top-level comments waiting behind the "N new comments" button, newest last. */
  pendingNew: string[] = [];
  /** The logged-in reader's id: their own comments arriving live go straight into view. */
  viewerId: string | null = null;
  readonly nodes = new Map<string, ThreadNode>();
  private readonly listeners = new Set<(change: StoreChange) => void>();
  private tempCounter = 0;

  subscribe(listener: (change: StoreChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get(id: string): ThreadNode | undefined {
    return this.nodes.get(id);
  }

  /** The first page of a thread (a fresh load, a sort change or a resync): replaces everything. */
  reset(page: ThreadPage, sort: ThreadSort): void {
    this.nodes.clear();
    this.topLevel = [];
    this.pendingNew = [];
    this.sort = sort;
    this.article = page.article;
    this.lastSeq = page.article.seq;
    this.nextCursor = page.nextCursor;
    this.addTopLevel(page.comments);
    this.emit({ kind: 'reset' });
  }

  /** A further page of top-level comments ("Load more"). */
  appendPage(page: ThreadPage): void {
    this.nextCursor = page.nextCursor;
    this.addTopLevel(page.comments);
    this.emit({ kind: 'children', parentId: null });
  }

  /** A page of direct replies to `parentId` ("Show N more replies"). */
  appendReplies(parentId: string, page: RepliesPage): void {
    const parent = this.nodes.get(parentId);
    if (!parent) return;
    for (const reply of page.comments) this.attachReply(parent, reply, false);
    parent.repliesCursor = page.nextCursor;
    this.emit({ kind: 'children', parentId });
  }

  /**
   * A permalink's comment and its ancestors, placed in the tree even when they are not on the
   * pages loaded: a top-level comment from a later page goes first in the list (a later "Load
   * more" keeps it there and does not repeat it), a deep reply under its loaded parent.
   */
  placeContext(context: CommentContext): void {
    const chain = [...context.ancestors, context.comment];
    const root = chain[0]!;
    if (!this.nodes.has(root.id)) {
      const { replies: _nested, ...flat } = root;
      this.nodes.set(root.id, { comment: flat, children: [], repliesCursor: root.replyCount === 0 ? null : undefined });
      this.topLevel.unshift(root.id);
      this.emit({ kind: 'children', parentId: null });
    }
    for (let i = 1; i < chain.length; i++) {
      const parent = this.nodes.get(chain[i - 1]!.id);
      if (parent && this.attachReply(parent, chain[i]!, false)) this.emit({ kind: 'children', parentId: parent.comment.id });
    }
  }

  /** How many direct replies exist beyond those loaded. */
  remainingReplies(id: string): number {
    const node = this.nodes.get(id);
    if (!node || node.repliesCursor === null) return 0;
    return Math.max(0, node.comment.replyCount - node.children.length);
  }

  /** The comment's ancestor at `depth` (itself when it is that deep or shallower). */
  ancestorAt(id: string, depth: number): string {
    let node = this.nodes.get(id);
    while (node && node.comment.depth > depth && node.comment.parentId) {
      const parent = this.nodes.get(node.comment.parentId);
      if (!parent) break;
      node = parent;
    }
    return node?.comment.id ?? id;
  }

  /** Reveals the held-back new comments: at the top for "newest", at the end otherwise. */
  showPending(): string[] {
    const ids = [...this.pendingNew].reverse();
    this.pendingNew = [];
    if (!ids.length) return ids;
    this.topLevel = this.sort === 'newest' ? [...ids, ...this.topLevel] : [...this.topLevel, ...ids.reverse()];
    this.emit({ kind: 'pending' });
    this.emit({ kind: 'children', parentId: null });
    return ids;
  }

  // ---- live events -------------------------------------------------------------------------

  /**
   * Applies one event if it is the next in seq order. Older or equal seqs are duplicates (a join
   * ack may repeat pushed events); a jump means something was missed and the caller should rejoin
   * with `sinceSeq: lastSeq` — the event is not applied then.
   */
  applyEvent(event: ArticleEvent): EventOutcome {
    if (event.seq <= this.lastSeq) return 'duplicate';
    if (event.seq > this.lastSeq + 1) return 'gap';
    this.lastSeq = event.seq;
    switch (event.type) {
      case 'comment:created':
        this.commentCreated(event.comment);
        break;
      case 'comment:updated':
      case 'comment:removed':
        this.commentChanged(event.comment);
        break;
      case 'reaction:updated':
        this.patch(event.commentId, { reactionCount: event.reactionCount });
        break;
      case 'article:updated':
        if (this.article) {
          const state = this.article.state !== event.state;
          this.article = { ...this.article, state: event.state, commentCount: event.commentCount };
          this.emit({ kind: 'article', state });
        }
        break;
    }
    return 'applied';
  }

  // ---- the viewer's own actions --------------------------------------------------------------

  /** Shows a post at once, marked as sending; returns its temporary id. */
  addOptimistic(input: { parentId: string | null; body: string; author: { id: string; name: string } }): string {
    const id = `local-${++this.tempCounter}`;
    const parent = input.parentId ? this.nodes.get(input.parentId) : undefined;
    const comment: ThreadComment = {
      id,
      parentId: input.parentId,
      rootId: parent ? (parent.comment.rootId ?? parent.comment.id) : null,
      depth: parent ? parent.comment.depth + 1 : 0,
      author: input.author,
      body: input.body,
      html: '',
      status: 'published',
      replyCount: 0,
      reactionCount: 0,
      createdAt: new Date().toISOString(),
      editedAt: null,
      sending: true,
    };
    this.nodes.set(id, { comment, children: [], repliesCursor: null });
    if (parent) {
      parent.children.push(id);
      parent.comment = { ...parent.comment, replyCount: parent.comment.replyCount + 1 };
      this.emit({ kind: 'children', parentId: parent.comment.id });
    } else {
      // The reader's own comment goes to the top whatever the sort, so they see it landed.
      this.topLevel.unshift(id);
      this.emit({ kind: 'children', parentId: null });
    }
    return id;
  }

  /** The server accepted the post: the temporary entry becomes the real comment (never twice). */
  confirmOptimistic(tempId: string, comment: Comment): void {
    const temp = this.nodes.get(tempId);
    this.nodes.delete(tempId);
    const alreadyHere = this.nodes.has(comment.id);
    const waiting = this.pendingNew.indexOf(comment.id);
    if (waiting >= 0) {
      // The live push beat the POST response and parked it behind the button: take it back out.
      this.pendingNew.splice(waiting, 1);
      this.emit({ kind: 'pending' });
    }
    const list = this.listOf(comment.parentId);
    const at = list ? list.indexOf(tempId) : -1;
    if (list && at >= 0) {
      if (alreadyHere && waiting < 0) list.splice(at, 1);
      else list.splice(at, 1, comment.id);
    }
    if (!alreadyHere) {
      this.nodes.set(comment.id, { comment, children: temp?.children ?? [], repliesCursor: null });
      // A comment held for a moderator is the reader's alone: the public count stays as it is.
      if (comment.status === 'published') this.bumpCount(1);
    } else if (temp && comment.parentId) {
      // The live reply already counted itself on the parent; undo the optimistic increment.
      this.patch(comment.parentId, { replyCount: Math.max(0, (this.nodes.get(comment.parentId)?.comment.replyCount ?? 1) - 1) }, false);
    }
    this.emit({ kind: 'children', parentId: comment.parentId });
  }

  /** The post failed: take the temporary entry out again. */
  rollbackOptimistic(tempId: string): void {
    const temp = this.nodes.get(tempId);
    if (!temp) return;
    this.nodes.delete(tempId);
    const parentId = temp.comment.parentId;
    const list = this.listOf(parentId);
    const at = list?.indexOf(tempId) ?? -1;
    if (list && at >= 0) list.splice(at, 1);
    if (parentId) {
      const parent = this.nodes.get(parentId);
      if (parent) parent.comment = { ...parent.comment, replyCount: Math.max(0, parent.comment.replyCount - 1) };
    }
    this.emit({ kind: 'children', parentId });
  }

  /** A comment the server sent back (an edit, or the viewer's own delete turning it into a tombstone). */
  replace(comment: Comment): void {
    this.commentChanged(comment);
  }

  /** Sets fields of one comment (reaction toggles and their rollback), keeping the rest. */
  patch(id: string, fields: Partial<ThreadComment>, notify = true): void {
    const node = this.nodes.get(id);
    if (!node) return;
    node.comment = { ...node.comment, ...fields };
    if (notify) this.emit({ kind: 'comment', id });
  }

  // ---- internals -----------------------------------------------------------------------------

  private addTopLevel(comments: Comment[]): void {
    for (const comment of comments) {
      if (this.nodes.has(comment.id)) {
        // Already shown (revealed live, or posted here): keep its place, refresh its content.
        this.commentChanged(comment, false);
        continue;
      }
      const node: ThreadNode = { comment, children: [], repliesCursor: undefined };
      this.nodes.set(comment.id, node);
      this.topLevel.push(comment.id);
      for (const reply of comment.replies ?? []) this.attachReply(node, reply, false);
      if (!comment.replies?.length && comment.replyCount === 0) node.repliesCursor = null;
    }
  }

  /** Adds a reply under its parent in creation order; true when it was new. */
  private attachReply(parent: ThreadNode, reply: Comment, countIt: boolean): boolean {
    if (this.nodes.has(reply.id)) {
      this.commentChanged(reply, false);
      return false;
    }
    const { replies: _nested, ...flat } = reply;
    this.nodes.set(reply.id, { comment: flat, children: [], repliesCursor: reply.replyCount === 0 ? null : undefined });
    const at = parent.children.findIndex((id) => {
      const sibling = this.nodes.get(id)?.comment;
      return sibling !== undefined && !sibling.sending && sibling.createdAt > reply.createdAt;
    });
    if (at < 0) parent.children.push(reply.id);
    else parent.children.splice(at, 0, reply.id);
    if (countIt) parent.comment = { ...parent.comment, replyCount: parent.comment.replyCount + 1 };
    return true;
  }

  private commentCreated(comment: Comment): void {
    if (this.nodes.has(comment.id)) {
      this.commentChanged(comment);
      return;
    }
    if (comment.status === 'published') this.bumpCount(1);
    if (comment.parentId) {
      const parent = this.nodes.get(comment.parentId);
      // A reply to something not on screen shows up when its thread is opened.
      if (parent && this.attachReply(parent, comment, true)) {
        this.emit({ kind: 'comment', id: parent.comment.id });
        this.emit({ kind: 'children', parentId: parent.comment.id });
      }
      return;
    }
    this.nodes.set(comment.id, { comment, children: [], repliesCursor: null });
    if (this.viewerId !== null && comment.author?.id === this.viewerId) {
      this.topLevel.unshift(comment.id);
      this.emit({ kind: 'children', parentId: null });
    } else {
      this.pendingNew.push(comment.id);
      this.emit({ kind: 'pending' });
    }
  }

  private commentChanged(comment: Comment, notify = true): void {
    const node = this.nodes.get(comment.id);
    if (!node) return;
    if (!tombstone(node.comment.status) && node.comment.status === 'published' && tombstone(comment.status)) this.bumpCount(-1);
    const ownRemoved = this.viewerId !== null && node.comment.author?.id === this.viewerId && comment.status === 'removed';
    const { replies: _nested, ...flat } = comment;
    // Keep what the viewer knows (their reaction) unless the server says otherwise; a removal's reason goes with it.
    node.comment = { ...node.comment, ...flat, removalReason: flat.removalReason, sending: false };
    if (notify) this.emit({ kind: 'comment', id: comment.id, ownRemoved });
  }

  private bumpCount(delta: number): void {
    if (!this.article) return;
    this.article = { ...this.article, commentCount: Math.max(0, this.article.commentCount + delta) };
    this.emit({ kind: 'article' });
  }

  private listOf(parentId: string | null): string[] | undefined {
    return parentId === null ? this.topLevel : this.nodes.get(parentId)?.children;
  }

  private emit(change: StoreChange): void {
    for (const listener of this.listeners) listener(change);
  }
}

/**
 * A shared thread page as this reader sees it (what the server does for a page read with a token):
 * `reacted` on every comment, and the reader's own held comments, which the viewer route already
 * picked for this page, in place of the same comment or where they sort — among the top-level
 * comments, or under their parent.
 */
export function withViewer(page: ThreadPage, viewer: ThreadViewer, sort: ThreadSort): ThreadPage {
  const own = new Map(viewer.own.map((comment) => [comment.id, comment]));
  const reacted = new Set(viewer.reacted);
  // Why a moderator removed the reader's own comments (their tombstones say it, to them alone).
  const reasons = new Map(viewer.removed?.map((removed) => [removed.id, removed.reason]));
  const placed = new Set<string>();
  const mine = (comment: Comment): Comment => {
    const replacement = own.get(comment.id);
    if (!replacement) return { ...comment, reacted: reacted.has(comment.id), removalReason: reasons.get(comment.id) };
    placed.add(comment.id);
    return { ...replacement, reacted: reacted.has(comment.id), ...(comment.replies ? { replies: comment.replies } : {}) };
  };
  const comments = page.comments.map((comment) => {
    const top = mine(comment);
    const replies = (top.replies ?? []).map(mine);
    for (const reply of viewer.own) {
      if (reply.parentId !== comment.id || placed.has(reply.id)) continue;
      placed.add(reply.id);
      insertSorted(replies, { ...reply, reacted: false }, 'oldest');
    }
    return { ...top, ...(top.replies ? { replies } : {}) };
  });
  for (const comment of viewer.own) {
    if (!placed.has(comment.id) && comment.parentId === null) insertSorted(comments, { ...comment, reacted: false, replies: comment.replies ?? [] }, sort);
  }
  return { ...page, comments };
}

/** Where the server's keyset order (threads.repository) would put `comment`. */
function insertSorted(list: Comment[], comment: Comment, sort: ThreadSort): void {
  const before = (a: Comment, b: Comment) => {
    if (sort === 'top' && a.reactionCount !== b.reactionCount) return a.reactionCount > b.reactionCount;
    const later = a.createdAt > b.createdAt || (a.createdAt === b.createdAt && a.id > b.id);
    return sort === 'oldest' ? !later : later;
  };
  const at = list.findIndex((other) => before(comment, other));
  if (at < 0) list.push(comment);
  else list.splice(at, 0, comment);
}
