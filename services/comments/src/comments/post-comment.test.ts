import request from 'supertest';
import { ErrorBody } from '@parley/contracts';
import {
  articleEvents,
  articleRow,
  bearer,
  newArticleKey,
  newSite,
  newUser,
  postComment,
  startTestApp,
  threadPath,
  type TestApp,
} from '../test-support';
import { setArticleState } from '../articles/articles.repository';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const place = async () => ({ site: await newSite(t.db), article: newArticleKey() });

describe('POST /api/sites/:site/articles/:article/comments', () => {
  it('requires authentication', async () => {
    const where = await place();
    const res = await request(t.app).post(threadPath(where)).send({ body: 'hello' });
    expect(res.status).toBe(401);
    expect(ErrorBody.parse(res.body).error).toMatchObject({ code: 'unauthenticated', requestId: expect.any(String) });
    expect(await articleRow(t.db, where)).toBeUndefined();
  });

  it('refuses expired, tampered and foreign tokens', async () => {
    const where = await place();
    const user = newUser(t.tokens);
    const expired = t.tokens.sign({ sub: user.id }, { expiresInSeconds: -60 });
    const [head, payload, signature] = user.token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), sub: crypto.randomUUID() })).toString('base64url');
    const cases: [string, string][] = [
      [expired, 'token_expired'],
      [`${head}.${forged}.${signature}`, 'invalid_token'],
      [t.tokens.sign({ sub: user.id, aud: 'somebody-else' }), 'invalid_token'],
      ['garbage', 'invalid_token'],
    ];
    for (const [token, code] of cases) {
      const res = await request(t.app).post(threadPath(where)).set('Authorization', `Bearer ${token}`).send({ body: 'hi' });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe(code);
    }
    expect(await articleRow(t.db, where)).toBeUndefined();
  });

  it('creates the article on the first post and answers with the presented comment', async () => {
    const where = await place();
    const user = newUser(t.tokens, 'Ada Reader');
    const res = await request(t.app)
      .post(threadPath(where))
      .set(bearer(user))
      .send({ body: 'First!  \r\nWith a *point*.', title: 'Budget vote', url: 'https://news.example/budget' });
    expect(res.status).toBe(201);
    expect(res.body.comment).toEqual({
      id: expect.any(String),
      parentId: null,
      rootId: null,
      depth: 0,
      author: { id: user.id, name: 'Ada Reader' },
      body: 'First!  \nWith a *point*.',
      html: '<p>First!<br />\nWith a <em>point</em>.</p>',
      status: 'published',
      replyCount: 0,
      reactionCount: 0,
      createdAt: expect.stringMatching(/Z$/),
      editedAt: null,
    });
    const thread = await request(t.app).get(threadPath(where));
    expect(thread.body.article).toEqual({
      site: where.site,
      key: where.article,
      title: 'Budget vote',
      url: 'https://news.example/budget',
      state: 'open',
      commentCount: 1,
      seq: 1,
    });
    expect(thread.body.comments.map((c: { id: string }) => c.id)).toEqual([res.body.comment.id]);
  });

  it('threads replies at any depth and counts them on the parent', async () => {
    const where = await place();
    const user = newUser(t.tokens);
    const top = await postComment(t.app, user, where);
    const reply = await postComment(t.app, user, where, { parentId: top.id });
    const deeper = await postComment(t.app, user, where, { parentId: reply.id });
    expect(reply).toMatchObject({ parentId: top.id, rootId: top.id, depth: 1 });
    expect(deeper).toMatchObject({ parentId: reply.id, rootId: top.id, depth: 2 });
    const replies = await request(t.app).get(`/api/comments/${top.id}/replies`);
    expect(replies.body.comments).toEqual([expect.objectContaining({ id: reply.id, replyCount: 1 })]);
    expect((await articleRow(t.db, where))?.comment_count).toBe(3);
  });

  it('records every change as an article event, numbered 1..n in the same order', async () => {
    const where = await place();
    const user = newUser(t.tokens);
    const first = await postComment(t.app, user, where);
    const second = await postComment(t.app, user, where, { parentId: first.id });
    await request(t.app).patch(`/api/comments/${first.id}`).set(bearer(user)).send({ body: 'edited' }).expect(200);
    await request(t.app).delete(`/api/comments/${second.id}`).set(bearer(user)).expect(204);
    const events = await articleEvents(t.db, where);
    expect(events.map((e) => [e.seq, e.change.type])).toEqual([
      [1, 'comment:created'],
      [2, 'comment:created'],
      [3, 'comment:updated'],
      [4, 'comment:removed'],
    ]);
    expect(events[0]!.change).toEqual({ type: 'comment:created', comment: first });
    expect(events[2]!.change).toMatchObject({ comment: { id: first.id, body: 'edited' } });
    expect(events[3]!.change).toMatchObject({ comment: { id: second.id, status: 'deleted', author: null, body: '' } });
    expect((await articleRow(t.db, where))?.last_seq).toBe(4);
  });

  it('stores XSS attempts as inert text', async () => {
    const where = await place();
    const comment = await postComment(t.app, newUser(t.tokens), where, {
      body: '<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>',
    });
    expect(comment.html).not.toMatch(/<script|<img|href=|<[^>]*\son\w+=/i);
    expect(comment.html).toContain('&lt;script&gt;');
  });

  it('rejects invalid bodies naming the field, and writes nothing', async () => {
    const where = await place();
    const user = newUser(t.tokens);
    const cases: [unknown, string][] = [
      [{}, 'body'],
      [{ body: '   ' }, 'body'],
      [{ body: 'x'.repeat(5001) }, 'body'],
      [{ body: 'ok', parentId: 'nope' }, 'parentId'],
      [{ body: 'ok', url: 'not a url' }, 'url'],
      [{ body: 'ok', admin: true }, 'body'],
    ];
    for (const [payload, field] of cases) {
      const res = await request(t.app).post(threadPath(where)).set(bearer(user)).send(payload as object);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    }
    const unknownField = await request(t.app).post(threadPath(where)).set(bearer(user)).send({ body: 'ok', admin: true });
    expect(unknownField.body.error.message).toContain('"admin"');
    const badPath = await request(t.app).post(threadPath({ site: 'Bad Site!', article: where.article })).set(bearer(user)).send({ body: 'ok' });
    expect(badPath.status).toBe(400);
    expect(badPath.body.error.details[0].field).toBe('site');
    expect(await articleRow(t.db, where)).toBeUndefined();
  });

  it('accepts a body of exactly 5,000 characters, counting Cyrillic letters as one each', async () => {
    const where = await place();
    await postComment(t.app, newUser(t.tokens), where, { body: 'я'.repeat(5000) });
  });

  it('answers 404 site_not_found for an unknown site', async () => {
    const res = await request(t.app).post(threadPath({ site: 'no-such-site', article: 'a1' })).set(bearer(newUser(t.tokens))).send({ body: 'hi' });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('site_not_found');
  });

  it('refuses a parent from another article, an unknown one, or a deleted one (422) and writes nothing', async () => {
    const where = await place();
    const elsewhere = { site: where.site, article: newArticleKey() };
    const user = newUser(t.tokens);
    const foreign = await postComment(t.app, user, elsewhere);
    const doomed = await postComment(t.app, user, where);
    await request(t.app).delete(`/api/comments/${doomed.id}`).set(bearer(user)).expect(204);
    for (const parentId of [foreign.id, crypto.randomUUID(), doomed.id]) {
      const res = await request(t.app).post(threadPath(where)).set(bearer(user)).send({ body: 'reply', parentId });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('parent_unavailable');
    }
    expect((await articleRow(t.db, where))?.last_seq).toBe(2);
    const fresh = { site: where.site, article: newArticleKey() };
    await request(t.app).post(threadPath(fresh)).set(bearer(user)).send({ body: 'x', parentId: foreign.id }).expect(422);
    expect(await articleRow(t.db, fresh)).toBeUndefined();
  });

  it('refuses new comments on a closed article with 422 article_closed', async () => {
    const where = await place();
    const user = newUser(t.tokens);
    const top = await postComment(t.app, user, where);
    await setArticleState(t.db, (await articleRow(t.db, where))!.id, 'closed');
    for (const payload of [{ body: 'late' }, { body: 'late reply', parentId: top.id }]) {
      const res = await request(t.app).post(threadPath(where)).set(bearer(user)).send(payload);
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('article_closed');
    }
    expect((await articleRow(t.db, where))?.comment_count).toBe(1);
  });

  it('limits how fast one user can post, with Retry-After, without slowing others down', async () => {
    const app = t.withEnv({ COMMENT_RATE_LIMIT: '2', COMMENT_RATE_WINDOW_SECONDS: '60' });
    const where = await place();
    const hasty = newUser(t.tokens);
    await postComment(app, hasty, where);
    await postComment(app, hasty, where);
    const res = await request(app).post(threadPath(where)).set(bearer(hasty)).send({ body: 'third' });
    expect(res.status).toBe(429);
    expect(res.body.error.code).toBe('rate_limited');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    await postComment(app, newUser(t.tokens), where);
    expect((await articleRow(t.db, where))?.comment_count).toBe(3);
  });
});
