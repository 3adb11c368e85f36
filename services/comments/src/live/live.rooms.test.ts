import request from 'supertest';
import {
  bearer,
  connectSocket,
  connected,
  joinArticle,
  newArticleKey,
  newSite,
  newUser,
  postComment,
  recordEvents,
  liveFixture,
  startLiveNode,
  waitFor,
  type LiveNode,
  type TestApp,
  type TestSocket,
} from '../test-support';

const live = liveFixture();
let t: TestApp;
let node: LiveNode;
beforeAll(() => {
  ({ t, node } = live);
});

async function reader(): Promise<TestSocket> {
  const socket = connectSocket(node.url);
  live.track(socket);
  await connected(socket);
  return socket;
}

describe('article rooms', () => {
  it('delivers a post to every reader of that article, once and in seq order, and to no other article', async () => {
    const site = await newSite(t.db);
    const x = { site, article: newArticleKey() };
    const y = { site, article: newArticleKey() };
    const [a, b, c] = [await reader(), await reader(), await reader()];
    expect(await joinArticle(a, x)).toEqual({ ok: true, seq: 0, events: [], resync: false });
    await joinArticle(b, x);
    await joinArticle(c, y);
    const [seenA, seenB, seenC] = [recordEvents(a), recordEvents(b), recordEvents(c)];

    const alice = newUser(t.tokens, 'Alice');
    const first = await postComment(node.app, alice, x, { body: 'First in X' });
    await postComment(node.app, alice, x, { body: 'Reply in X', parentId: first.id });
    await waitFor(a, () => seenA.length >= 2);
    await waitFor(b, () => seenB.length >= 2);

    for (const seen of [seenA, seenB]) {
      expect(seen.map((e) => [e.type, e.seq])).toEqual([
        ['comment:created', 1],
        ['comment:created', 2],
      ]);
      expect(seen[0]!.payload).toEqual(expect.objectContaining({ site, article: x.article, comment: expect.objectContaining({ id: first.id }) }));
    }
    // Y's reader gets Y's own first event, and nothing from X came before it.
    await postComment(node.app, alice, y, { body: 'Only in Y' });
    await waitFor(c, () => seenC.length >= 1);
    expect(seenC.map((e) => [e.type, e.payload.article])).toEqual([['comment:created', y.article]]);
  });

  it('pushes the same presented comment REST returned, for edits and deletions too, as a rejoin replays it', async () => {
    const where = { site: await newSite(t.db), article: newArticleKey() };
    const socket = await reader();
    await joinArticle(socket, where);
    const seen = recordEvents(socket);
    const bob = newUser(t.tokens, 'Bob');
    const posted = await postComment(node.app, bob, where);
    const edited = await request(node.app).patch(`/api/comments/${posted.id}`).set(bearer(bob)).send({ body: 'Edited.' }).expect(200);
    await request(node.app).delete(`/api/comments/${posted.id}`).set(bearer(bob)).expect(204);
    await waitFor(socket, () => seen.length >= 3);
    expect(seen.map((e) => e.type)).toEqual(['comment:created', 'comment:updated', 'comment:removed']);
    expect(seen[0]!.payload.comment).toEqual(posted);
    expect(seen[1]!.payload.comment).toEqual(edited.body.comment);
    expect(seen[2]!.payload.comment).toEqual(expect.objectContaining({ id: posted.id, status: 'deleted', author: null, body: '' }));
    // Pushed and replayed alike: one shape, the event's type included.
    const ack = await joinArticle(await reader(), { ...where, sinceSeq: 0 });
    expect(ack.ok && ack.events).toEqual(seen.map((e) => e.payload));
    expect(seen.map((e) => e.payload.type)).toEqual(['comment:created', 'comment:updated', 'comment:removed']);
  });

  it('replays exactly what a reader missed when it rejoins with its last seq', async () => {
    const where = { site: await newSite(t.db), article: newArticleKey() };
    const carol = newUser(t.tokens, 'Carol');
    const before = await postComment(node.app, carol, where, { body: 'Seen before the drop' });

    const first = await reader();
    const joined = await joinArticle(first, where);
    expect(joined).toEqual({ ok: true, seq: 1, events: [], resync: false });
    first.disconnect();

    const missed = [
      await postComment(node.app, carol, where, { body: 'missed 1' }),
      await postComment(node.app, carol, where, { body: 'missed 2', parentId: before.id }),
      await postComment(node.app, carol, where, { body: 'missed 3' }),
    ];
    await request(node.app).patch(`/api/comments/${missed[0]!.id}`).set(bearer(carol)).send({ body: 'missed 1, edited' }).expect(200);

    const again = await reader();
    const ack = await joinArticle(again, { ...where, sinceSeq: 1 });
    expect(ack.ok && ack.resync).toBe(false);
    if (!ack.ok) throw new Error('join failed');
    expect(ack.seq).toBe(5);
    expect(ack.events.map((e) => [e.type, e.seq])).toEqual([
      ['comment:created', 2],
      ['comment:created', 3],
      ['comment:created', 4],
      ['comment:updated', 5],
    ]);
    expect(ack.events.map((e) => ('comment' in e ? e.comment.body : ''))).toEqual(['missed 1', 'missed 2', 'missed 3', 'missed 1, edited']);
    expect(await joinArticle(again, { ...where, sinceSeq: 5 })).toEqual({ ok: true, seq: 5, events: [], resync: false });
  });

  it('tells a reader that is too far behind, or ahead of the server, to reload instead', async () => {
    const small = await startLiveNode(t.source, t.tokens, { LIVE_MAX_CATCH_UP_EVENTS: '2' }, t.clock.now);
    try {
      const where = { site: await newSite(t.db), article: newArticleKey() };
      const dave = newUser(t.tokens, 'Dave');
      for (let i = 0; i < 4; i++) await postComment(small.app, dave, where, { body: `comment ${i}` });
      const socket = connectSocket(small.url);
      live.track(socket);
      await connected(socket);
      expect(await joinArticle(socket, { ...where, sinceSeq: 1 })).toEqual({ ok: true, seq: 4, events: [], resync: true });
      expect(await joinArticle(socket, { ...where, sinceSeq: 9 })).toEqual({ ok: true, seq: 4, events: [], resync: true });
      const ack = await joinArticle(socket, { ...where, sinceSeq: 2 });
      expect(ack.ok && ack.events.map((e) => e.seq)).toEqual([3, 4]);
    } finally {
      await small.stop();
    }
  });

  it('stops pushing to a reader that left the article', async () => {
    const site = await newSite(t.db);
    const where = { site, article: newArticleKey() };
    const other = { site, article: newArticleKey() };
    const socket = await reader();
    await joinArticle(socket, where);
    await joinArticle(socket, other);
    const seen = recordEvents(socket);
    expect(await socket.timeout(5000).emitWithAck('article:leave', where)).toEqual({ ok: true });
    const erin = newUser(t.tokens, 'Erin');
    await postComment(node.app, erin, where);
    await postComment(node.app, erin, other);
    await waitFor(socket, () => seen.length >= 1);
    expect(seen.map((e) => e.payload.article)).toEqual([other.article]);
  });

  it('refuses joins with a bad payload or an unknown site, and keeps the socket', async () => {
    const socket = await reader();
    const bad = await joinArticle(socket, { site: 'Not A Site!', article: 'x' } as never);
    expect(bad).toEqual({ ok: false, error: expect.objectContaining({ code: 'validation_failed' }) });
    const unknown = await joinArticle(socket, { site: 'no-such-site', article: 'x' });
    expect(unknown).toEqual({ ok: false, error: expect.objectContaining({ code: 'site_not_found' }) });
    expect(socket.connected).toBe(true);
  });

  it('caps how many articles one connection watches', async () => {
    const capped = await startLiveNode(t.source, t.tokens, { LIVE_MAX_ARTICLES_PER_SOCKET: '2' }, t.clock.now);
    try {
      const site = await newSite(t.db);
      const socket = connectSocket(capped.url);
      live.track(socket);
      await connected(socket);
      await joinArticle(socket, { site, article: 'one' });
      await joinArticle(socket, { site, article: 'two' });
      expect(await joinArticle(socket, { site, article: 'two' })).toEqual(expect.objectContaining({ ok: true }));
      const third = await joinArticle(socket, { site, article: 'three' });
      expect(third).toEqual({ ok: false, error: expect.objectContaining({ code: 'too_many_articles' }) });
    } finally {
      await capped.stop();
    }
  });
});
