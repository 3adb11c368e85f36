import type { ThreadPage, ThreadViewer } from '@parley/contracts';
import { createApi } from './api';
import type { FetchLike } from './http';
import type { Session } from './session';
import { aComment, aPage, aReply } from './test-support';
import { withViewer } from './thread-store';

const base = 'https://parley.example';
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

function sessionWith(token: string | null): Session {
  return { token: async () => token, refresh: async () => null } as unknown as Session;
}

/** A fake API answering the thread page and the viewer part, recording who asked what. */
function fakeApi(page: ThreadPage, viewer: ThreadViewer | number) {
  const calls: { path: string; auth: string | null; cache?: RequestCache }[] = [];
  const fetch: FetchLike = async (url, init) => {
    const path = url.slice(base.length);
    calls.push({ path, auth: (init?.headers as Record<string, string>).Authorization ?? null, ...(init?.cache ? { cache: init.cache } : {}) });
    if (path.includes('/viewer?')) return typeof viewer === 'number' ? json(viewer, { error: { code: 'internal_error', message: 'x' } }) : json(200, viewer);
    return json(200, page);
  };
  return { fetch, calls };
}

describe('reading a thread page', () => {
  const top = aComment({ replyCount: 1 });
  const reply = aReply(top);
  const page = aPage([{ ...top, replies: [reply] }]);

  it('asks for the shared page without a token when nobody is logged in', async () => {
    const server = fakeApi(page, 500);
    const result = await createApi({ baseUrl: base, fetch: server.fetch, session: sessionWith(null) }).thread('demo', 'a1', 'newest');
    expect(result).toEqual(page);
    expect(server.calls).toEqual([{ path: '/api/sites/demo/articles/a1/comments?sort=newest&limit=20', auth: null }]);
  });

  it('asks for the shared page without a token (revalidated) and the reader\'s part with it, and lays one over the other', async () => {
    const held = aComment({ status: 'pending', author: { id: 'me', name: 'Me' } });
    const server = fakeApi(page, { reacted: [reply.id], own: [held], ban: null });
    const result = await createApi({ baseUrl: base, fetch: server.fetch, session: sessionWith('tok') }).thread('demo', 'a1', 'newest', 'next');
    expect(server.calls.sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: '/api/sites/demo/articles/a1/comments?sort=newest&limit=20&cursor=next', auth: null, cache: 'no-cache' },
      { path: '/api/sites/demo/articles/a1/viewer?sort=newest&limit=20&cursor=next', auth: 'Bearer tok' },
    ]);
    expect(result.comments.map((c) => [c.id, c.status, c.reacted])).toEqual([
      [held.id, 'pending', false],
      [top.id, 'published', false],
    ]);
    expect(result.comments[1]!.replies!.map((c) => [c.id, c.reacted])).toEqual([[reply.id, true]]);
  });

  it('still shows the page when the reader\'s part cannot be had', async () => {
    const server = fakeApi(page, 500);
    expect(await createApi({ baseUrl: base, fetch: server.fetch, session: sessionWith('tok') }).thread('demo', 'a1', 'newest')).toEqual(page);
  });
});

describe('withViewer', () => {
  it('puts the reader\'s held comments where each sort puts them, replaces a tombstone in place, and sorts a held reply under its parent', () => {
    const old = aComment({ reactionCount: 3 });
    const tombstone = aComment({ status: 'removed', author: null, body: '', html: '' });
    const newer = aComment({ reactionCount: 1, replyCount: 2 });
    const firstReply = aReply(newer);
    const heldReply = aReply(newer, { status: 'pending' });
    const laterReply = aReply(newer);
    const heldTop = aComment({ status: 'pending' });
    const viewer: ThreadViewer = {
      reacted: [old.id],
      own: [{ ...tombstone, status: 'pending', author: { id: 'me', name: 'Me' }, body: 'mine', html: '<p>mine</p>' }, heldReply, heldTop],
      ban: null,
    };
    const shared = (order: typeof old[]) => aPage(order.map((c) => ({ ...c, replies: c.id === newer.id ? [firstReply, laterReply] : [] })));

    const newest = withViewer(shared([newer, tombstone, old]), viewer, 'newest');
    expect(newest.comments.map((c) => c.id)).toEqual([heldTop.id, newer.id, tombstone.id, old.id]);
    expect(newest.comments[2]).toMatchObject({ status: 'pending', body: 'mine', replies: [] });
    expect(newest.comments[1]!.replies!.map((c) => c.id)).toEqual([firstReply.id, heldReply.id, laterReply.id]);
    expect(newest.comments.map((c) => c.reacted)).toEqual([false, false, false, true]);

    expect(withViewer(shared([old, tombstone, newer]), viewer, 'oldest').comments.map((c) => c.id)).toEqual([old.id, tombstone.id, newer.id, heldTop.id]);
    expect(withViewer(shared([old, newer, tombstone]), viewer, 'top').comments.map((c) => c.id)).toEqual([old.id, newer.id, heldTop.id, tombstone.id]);
  });
});
