import type { ArticleEvent, Comment } from '@parley/contracts';
import { aComment, aPage, aReply } from './test-support';
import { ThreadStore, withViewer, type StoreChange } from './thread-store';

const created = (seq: number, comment: Comment): ArticleEvent => ({ type: 'comment:created', site: 'demo', article: 'a1', seq, comment });
const updated = (seq: number, comment: Comment): ArticleEvent => ({ type: 'comment:updated', site: 'demo', article: 'a1', seq, comment });
const removed = (seq: number, comment: Comment): ArticleEvent => ({ type: 'comment:removed', site: 'demo', article: 'a1', seq, comment });

function storeWith(comments: Comment[], seq = 10) {
  const store = new ThreadStore();
  const changes: StoreChange[] = [];
  store.subscribe((change) => changes.push(change));
  store.reset(aPage(comments, { seq }), 'newest');
  changes.length = 0;
  return { store, changes };
}

describe('assembling pages', () => {
  it('keeps top-level order, embeds first replies and knows how many replies are left', () => {
    const top = aComment({ replyCount: 5 });
    const replies = [aReply(top), aReply(top), aReply(top)];
    const { store } = storeWith([{ ...top, replies }, aComment()]);
    expect(store.topLevel).toHaveLength(2);
    expect(store.get(top.id)!.children).toEqual(replies.map((r) => r.id));
    expect(store.remainingReplies(top.id)).toBe(2);
  });

  it('merges a replies page without duplicating the embedded ones', () => {
    const top = aComment({ replyCount: 4 });
    const replies = [aReply(top), aReply(top), aReply(top), aReply(top)];
    const { store } = storeWith([{ ...top, replies: replies.slice(0, 3) }]);
    store.appendReplies(top.id, { comments: replies, nextCursor: null });
    expect(store.get(top.id)!.children).toEqual(replies.map((r) => r.id));
    expect(store.remainingReplies(top.id)).toBe(0);
  });

  it('skips comments of a later page that are already shown', () => {
    const a = aComment();
    const b = aComment();
    const { store } = storeWith([a], 1);
    store.appendPage(aPage([a, b]));
    expect(store.topLevel).toEqual([a.id, b.id]);
  });

  it('finds the depth-3 ancestor of a deep reply', () => {
    const c0 = aComment();
    const c1 = aReply(c0, { replyCount: 1 });
    const { store } = storeWith([{ ...c0, replyCount: 1, replies: [c1] }]);
    const c2 = aReply(c1, { replyCount: 1 });
    store.appendReplies(c1.id, { comments: [c2], nextCursor: null });
    const c3 = aReply(c2, { replyCount: 1 });
    store.appendReplies(c2.id, { comments: [c3], nextCursor: null });
    const c4 = aReply(c3);
    store.appendReplies(c3.id, { comments: [c4], nextCursor: null });
    expect(store.ancestorAt(c4.id, 3)).toBe(c3.id);
    expect(store.ancestorAt(c2.id, 3)).toBe(c2.id);
  });
});

describe('live events', () => {
  it('holds others’ new top-level comments behind the button and counts them', () => {
    const { store, changes } = storeWith([aComment()], 10);
    const fresh = aComment({ author: { id: 'someone', name: 'Boris' } });
    expect(store.applyEvent(created(11, fresh))).toBe('applied');
    expect(store.topLevel).not.toContain(fresh.id);
    expect(store.pendingNew).toEqual([fresh.id]);
    expect(store.article!.commentCount).toBe(2);
    expect(changes).toContainEqual({ kind: 'pending' });
    expect(store.showPending()).toEqual([fresh.id]);
    expect(store.topLevel[0]).toBe(fresh.id);
  });

  it('drops duplicates and reports gaps without applying them', () => {
    const { store } = storeWith([], 10);
    expect(store.applyEvent(created(10, aComment()))).toBe('duplicate');
    expect(store.applyEvent(created(12, aComment()))).toBe('gap');
    expect(store.lastSeq).toBe(10);
    expect(store.pendingNew).toHaveLength(0);
  });

  it('puts a new reply inside its rendered thread, in place', () => {
    const top = aComment();
    const { store, changes } = storeWith([top], 3);
    const reply = aReply(top);
    store.applyEvent(created(4, reply));
    expect(store.get(top.id)!.children).toEqual([reply.id]);
    expect(store.get(top.id)!.comment.replyCount).toBe(1);
    expect(changes).toContainEqual({ kind: 'children', parentId: top.id });
  });

  it('ignores replies to comments that are not on screen, but counts them', () => {
    const { store } = storeWith([aComment()], 3);
    store.applyEvent(created(4, aReply(aComment())));
    expect(store.nodes.size).toBe(1);
    expect(store.article!.commentCount).toBe(2);
  });

  it('applies edits, removals and reaction counts in place', () => {
    const top = aComment({ reactionCount: 1 });
    const { store } = storeWith([top], 1);
    store.applyEvent(updated(2, { ...top, body: 'edited', html: '<p>edited</p>', editedAt: new Date().toISOString() }));
    expect(store.get(top.id)!.comment.body).toBe('edited');
    store.applyEvent({ type: 'reaction:updated', site: 'demo', article: 'a1', seq: 3, commentId: top.id, reactionCount: 7 });
    expect(store.get(top.id)!.comment.reactionCount).toBe(7);
    store.applyEvent(removed(4, { ...top, status: 'removed', author: null, body: '', html: '' }));
    expect(store.get(top.id)!.comment.status).toBe('removed');
    expect(store.article!.commentCount).toBe(0);
    expect(store.topLevel).toEqual([top.id]);
  });

  it('applies article state changes', () => {
    const { store } = storeWith([], 1);
    store.applyEvent({ type: 'article:updated', site: 'demo', article: 'a1', seq: 2, state: 'closed', commentCount: 4 });
    expect(store.article).toMatchObject({ state: 'closed', commentCount: 4 });
  });

  it('shows the viewer’s own comments from another tab directly', () => {
    const { store } = storeWith([], 1);
    store.viewerId = 'me';
    const mine = aComment({ author: { id: 'me', name: 'Me' } });
    store.applyEvent(created(2, mine));
    expect(store.topLevel).toEqual([mine.id]);
    expect(store.pendingNew).toEqual([]);
  });
});

describe('optimistic posts', () => {
  const me = { id: 'me', name: 'Me' };

  it('shows a post at once and swaps in the server comment', () => {
    const { store } = storeWith([aComment()], 1);
    const temp = store.addOptimistic({ parentId: null, body: 'hello', author: me });
    expect(store.topLevel[0]).toBe(temp);
    expect(store.get(temp)!.comment.sending).toBe(true);
    const real = aComment({ body: 'hello', author: me });
    store.confirmOptimistic(temp, real);
    expect(store.topLevel[0]).toBe(real.id);
    expect(store.get(temp)).toBeUndefined();
    expect(store.article!.commentCount).toBe(2);
    // The live echo of our own post changes nothing.
    store.applyEvent(created(2, real));
    expect(store.topLevel.filter((id) => id === real.id)).toHaveLength(1);
    expect(store.article!.commentCount).toBe(2);
  });

  it('never shows a post twice when the live push beats the POST response', () => {
    const { store } = storeWith([], 1);
    const temp = store.addOptimistic({ parentId: null, body: 'hello', author: me });
    const real = aComment({ body: 'hello', author: me });
    store.applyEvent(created(2, real)); // viewerId unknown: parked behind the button
    store.confirmOptimistic(temp, real);
    expect(store.topLevel).toEqual([real.id]);
    expect(store.pendingNew).toEqual([]);
    expect(store.article!.commentCount).toBe(1);
  });

  it('does the same for replies, keeping the parent reply count right', () => {
    const top = aComment();
    const { store } = storeWith([top], 1);
    store.viewerId = 'me';
    const temp = store.addOptimistic({ parentId: top.id, body: 'yes', author: me });
    const real = aReply(top, { author: me });
    store.applyEvent(created(2, real));
    store.confirmOptimistic(temp, real);
    expect(store.get(top.id)!.children).toEqual([real.id]);
    expect(store.get(top.id)!.comment.replyCount).toBe(1);
  });

  it('leaves the public count alone for the reader\'s own post held for a moderator', () => {
    const { store } = storeWith([aComment()], 1);
    const temp = store.addOptimistic({ parentId: null, body: 'held', author: me });
    const held = aComment({ body: 'held', author: me, status: 'pending' });
    store.confirmOptimistic(temp, held);
    expect(store.topLevel[0]).toBe(held.id);
    expect(store.get(held.id)!.comment.status).toBe('pending');
    expect(store.article!.commentCount).toBe(1);
  });

  it('rolls a failed post back', () => {
    const top = aComment();
    const { store } = storeWith([top], 1);
    const temp = store.addOptimistic({ parentId: top.id, body: 'nope', author: me });
    expect(store.get(top.id)!.comment.replyCount).toBe(1);
    store.rollbackOptimistic(temp);
    expect(store.get(top.id)!.children).toEqual([]);
    expect(store.get(top.id)!.comment.replyCount).toBe(0);
    expect(store.get(temp)).toBeUndefined();
  });
});

describe('what a live event tells the view', () => {
  it('says a count bump leaves who may write alone, and a close changes it', () => {
    const { store, changes } = storeWith([aComment()], 1);
    store.applyEvent({ type: 'article:updated', site: 'demo', article: 'a1', seq: 2, state: 'open', commentCount: 2 });
    store.applyEvent({ type: 'article:updated', site: 'demo', article: 'a1', seq: 3, state: 'closed', commentCount: 2 });
    expect(changes).toEqual([
      { kind: 'article', state: false },
      { kind: 'article', state: true },
    ]);
  });
});

describe('permalinks', () => {
  it('places a deep reply from a later page with its ancestors, and a later page does not repeat them', () => {
    const shown = aComment();
    const { store } = storeWith([shown], 1);
    const top = aComment({ replyCount: 1 });
    const reply = aReply(top, { replyCount: 1 });
    const deep = aReply(reply);
    store.placeContext({ article: store.article!, comment: deep, ancestors: [top, reply] });
    expect(store.topLevel).toEqual([top.id, shown.id]);
    expect(store.get(top.id)!.children).toEqual([reply.id]);
    expect(store.get(reply.id)!.children).toEqual([deep.id]);
    store.appendPage(aPage([{ ...top, replies: [reply] }]));
    expect(store.topLevel).toEqual([top.id, shown.id]);
    expect(store.get(top.id)!.children).toEqual([reply.id]);
  });
});

describe('why the reader\'s own comment was removed', () => {
  it('lays the viewer route\'s reasons on the reader\'s tombstones only', () => {
    const mine = aComment({ status: 'removed', author: null, body: '', html: '' });
    const theirs = aComment({ status: 'removed', author: null, body: '', html: '' });
    const reply = aReply(theirs, { status: 'removed', author: null, body: '', html: '' });
    const page = withViewer(aPage([mine, { ...theirs, replies: [reply] }]), { reacted: [], own: [], ban: null, removed: [{ id: mine.id, reason: 'Spam' }, { id: reply.id, reason: 'Rude' }] }, 'newest');
    expect(page.comments.map((c) => c.removalReason)).toEqual(['Spam', undefined]);
    expect(page.comments[1]!.replies![0]!.removalReason).toBe('Rude');
  });

  it('says when a live removal hit the reader\'s own comment, and a restore takes the reason away', () => {
    const mine = aComment({ author: { id: 'me', name: 'Me' } });
    const theirs = aComment({ author: { id: 'someone', name: 'Someone' } });
    const { store, changes } = storeWith([mine, theirs], 1);
    store.viewerId = 'me';
    const tomb = (c: Comment): Comment => ({ ...c, status: 'removed', author: null, body: '', html: '' });
    store.applyEvent(removed(2, tomb(theirs)));
    store.applyEvent(removed(3, tomb(mine)));
    expect(changes.filter((c) => c.kind === 'comment')).toEqual([
      { kind: 'comment', id: theirs.id, ownRemoved: false },
      { kind: 'comment', id: mine.id, ownRemoved: true },
    ]);
    store.patch(mine.id, { removalReason: 'Spam' });
    expect(store.get(mine.id)!.comment.removalReason).toBe('Spam');
    store.applyEvent(updated(4, mine));
    expect(store.get(mine.id)!.comment.removalReason).toBeUndefined();
  });
});
