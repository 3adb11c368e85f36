import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { setArticleState } from '../articles/articles.repository';
import {
  articleEvents,
  articleRow,
  bearer,
  connectSocket,
  connected,
  joinArticle,
  newArticleKey,
  newSite,
  newUser,
  postComment,
  recordEvents,
  startLiveNode,
  startTestApp,
  threadPath,
  waitFor,
  type TestApp,
} from '../test-support';

let t: TestApp;
beforeAll(async () => (t = await startTestApp()));
afterAll(async () => t.close());

async function commentOnNewArticle() {
  const where = { site: await newSite(t.db), article: newArticleKey() };
  const author = newUser(t.tokens, 'Author');
  return { where, comment: await postComment(t.app, author, where), author };
}

const reactionPath = (id: string) => `/api/comments/${id}/reaction`;

describe('PUT/DELETE /api/comments/:id/reaction', () => {
  it('requires authentication', async () => {
    const { comment } = await commentOnNewArticle();
    const res = await request(t.app).put(reactionPath(comment.id)).expect(401);
    expect(res.body.error.code).toBe('unauthenticated');
    await request(t.app).delete(reactionPath(comment.id)).set('Authorization', 'Bearer not.a.token').expect(401);
  });

  it('counts one reaction per user, idempotently, and shows it in the thread', async () => {
    const { where, comment } = await commentOnNewArticle();
    const [ann, ben] = [newUser(t.tokens, 'Ann'), newUser(t.tokens, 'Ben')];
    expect((await request(t.app).put(reactionPath(comment.id)).set(bearer(ann)).expect(200)).body).toEqual({
      commentId: comment.id,
      reactionCount: 1,
      reacted: true,
    });
    expect((await request(t.app).put(reactionPath(comment.id)).set(bearer(ann)).expect(200)).body.reactionCount).toBe(1);
    expect((await request(t.app).put(reactionPath(comment.id)).set(bearer(ben)).expect(200)).body.reactionCount).toBe(2);
    const thread = await request(t.app).get(threadPath(where)).expect(200);
    expect(thread.body.comments[0].reactionCount).toBe(2);

    expect((await request(t.app).delete(reactionPath(comment.id)).set(bearer(ann)).expect(200)).body).toEqual({
      commentId: comment.id,
      reactionCount: 1,
      reacted: false,
    });
    expect((await request(t.app).delete(reactionPath(comment.id)).set(bearer(ann)).expect(200)).body.reactionCount).toBe(1);
    // Only real changes are events: two reactions and one removal.
    const events = await articleEvents(t.db, where);
    expect(events.map((e) => [e.change.type, 'reactionCount' in e.change ? e.change.reactionCount : undefined])).toEqual([
      ['comment:created', undefined],
      ['reaction:updated', 1],
      ['reaction:updated', 2],
      ['reaction:updated', 1],
    ]);
  });

  it('orders the "top" sort by reactions', async () => {
    const where = { site: await newSite(t.db), article: newArticleKey() };
    const author = newUser(t.tokens);
    const quiet = await postComment(t.app, author, where, { body: 'quiet' });
    const liked = await postComment(t.app, author, where, { body: 'liked' });
    const newest = await postComment(t.app, author, where, { body: 'newest' });
    await request(t.app).put(reactionPath(liked.id)).set(bearer(newUser(t.tokens))).expect(200);
    const top = await request(t.app).get(`${threadPath(where)}?sort=top`).expect(200);
    expect(top.body.comments.map((c: { id: string }) => c.id)).toEqual([liked.id, newest.id, quiet.id]);
  });

  it('answers 404 for unknown ids and tombstones, 400 for a malformed id, and 422 on a closed article', async () => {
    const reader = newUser(t.tokens);
    expect((await request(t.app).put(reactionPath(randomUUID())).set(bearer(reader)).expect(404)).body.error.code).toBe('comment_not_found');
    expect((await request(t.app).put(reactionPath('nope')).set(bearer(reader)).expect(400)).body.error.code).toBe('validation_failed');

    const { comment, author } = await commentOnNewArticle();
    await request(t.app).delete(`/api/comments/${comment.id}`).set(bearer(author)).expect(204);
    await request(t.app).put(reactionPath(comment.id)).set(bearer(reader)).expect(404);

    const closed = await commentOnNewArticle();
    await setArticleState(t.db, (await articleRow(t.db, closed.where))!.id, 'closed');
    expect((await request(t.app).put(reactionPath(closed.comment.id)).set(bearer(reader)).expect(422)).body.error.code).toBe('article_closed');
  });

  it('rate-limits a user reacting too fast', async () => {
    const limited = t.withEnv({ REACTION_RATE_LIMIT: '2', REACTION_RATE_WINDOW_SECONDS: '60' });
    const { comment } = await commentOnNewArticle();
    const reader = newUser(t.tokens);
    await request(limited).put(reactionPath(comment.id)).set(bearer(reader)).expect(200);
    await request(limited).delete(reactionPath(comment.id)).set(bearer(reader)).expect(200);
    const res = await request(limited).put(reactionPath(comment.id)).set(bearer(reader)).expect(429);
    expect(res.body.error.code).toBe('rate_limited');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('pushes the new count to the article\'s live readers', async () => {
    const node = await startLiveNode(t.source, t.tokens, {}, t.clock.now);
    const socket = connectSocket(node.url);
    try {
      const { where, comment } = await commentOnNewArticle();
      await connected(socket);
      await joinArticle(socket, where);
      const seen = recordEvents(socket);
      await request(node.app).put(reactionPath(comment.id)).set(bearer(newUser(t.tokens))).expect(200);
      await waitFor(socket, () => seen.length >= 1);
      expect(seen[0]).toEqual({
        type: 'reaction:updated',
        seq: 2,
        payload: { type: 'reaction:updated', site: where.site, article: where.article, seq: 2, commentId: comment.id, reactionCount: 1 },
      });
    } finally {
      socket.disconnect();
      await node.stop();
    }
  });
});
