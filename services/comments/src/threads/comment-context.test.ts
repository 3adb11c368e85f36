import request from 'supertest';
import { CommentContext } from '@parley/contracts';
import { buildOpenApiDocument } from '@parley/openapi';
import { routes } from '../routes';
import { bearer, newArticleKey, newSite, newStaff, newUser, postComment, startTestApp, type TestApp } from '../test-support';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const place = async (settings?: { premoderation?: boolean }) => ({ site: await newSite(t.db, settings ? { settings } : {}), article: newArticleKey() });
const commentPath = (id: string) => `/api/comments/${id}`;

describe('GET /api/comments/:id', () => {
  it('answers a deep reply with its article and its ancestors, top-level first', async () => {
    const where = await place();
    const user = newUser(t.tokens, 'Ann');
    const top = await postComment(t.app, user, where, { body: 'top' });
    const one = await postComment(t.app, user, where, { parentId: top.id, body: 'one' });
    const two = await postComment(t.app, user, where, { parentId: one.id, body: 'two' });
    const three = await postComment(t.app, user, where, { parentId: two.id, body: 'three' });

    const res = await request(t.app).get(commentPath(three.id)).expect(200);
    const context = CommentContext.parse(res.body);
    expect(context.comment).toMatchObject({ id: three.id, body: 'three', depth: 3, parentId: two.id });
    expect(context.ancestors.map((c) => c.id)).toEqual([top.id, one.id, two.id]);
    expect(context.article).toMatchObject({ site: where.site, key: where.article, commentCount: 4, state: 'open' });
    expect(res.headers['cache-control']).toMatch(/private/);

    const root = CommentContext.parse((await request(t.app).get(commentPath(top.id)).expect(200)).body);
    expect(root.ancestors).toEqual([]);
  });

  it('says whether the logged-in reader liked the comment and its ancestors', async () => {
    const where = await place();
    const reader = newUser(t.tokens);
    const top = await postComment(t.app, newUser(t.tokens), where);
    const reply = await postComment(t.app, newUser(t.tokens), where, { parentId: top.id });
    await request(t.app).put(`/api/comments/${top.id}/reaction`).set(bearer(reader)).expect(200);
    const context = CommentContext.parse((await request(t.app).get(commentPath(reply.id)).set(bearer(reader)).expect(200)).body);
    expect(context.ancestors[0]).toMatchObject({ id: top.id, reacted: true, reactionCount: 1 });
    expect(context.comment.reacted).toBe(false);
  });

  it('answers a deleted comment as a tombstone', async () => {
    const where = await place();
    const user = newUser(t.tokens);
    const comment = await postComment(t.app, user, where, { body: 'soon gone' });
    await request(t.app).delete(commentPath(comment.id)).set(bearer(user)).expect(204);
    const res = await request(t.app).get(commentPath(comment.id)).expect(200);
    expect(res.body.comment).toMatchObject({ id: comment.id, status: 'deleted', author: null, body: '' });
  });

  it('shows a comment held for a moderator to its author only', async () => {
    const where = await place({ premoderation: true });
    const author = newUser(t.tokens);
    const held = await postComment(t.app, author, where, { body: 'waiting' });
    expect(held.status).toBe('pending');
    expect((await request(t.app).get(commentPath(held.id)).set(bearer(author)).expect(200)).body.comment).toMatchObject({ status: 'pending', body: 'waiting' });
    const anonymous = await request(t.app).get(commentPath(held.id)).expect(404);
    expect(anonymous.body.error.code).toBe('comment_not_found');
    await request(t.app).get(commentPath(held.id)).set(bearer(newUser(t.tokens))).expect(404);
    // Staff read held comments in the console's queue, not through a permalink.
    await request(t.app).get(commentPath(held.id)).set(bearer(newStaff(t.tokens))).expect(404);
  });

  it('answers 404 comment_not_found for an unknown comment', async () => {
    const res = await request(t.app).get(commentPath(crypto.randomUUID())).expect(404);
    expect(res.body.error).toMatchObject({ code: 'comment_not_found', requestId: expect.any(String) });
  });

  it('answers 400 for an id that is not a comment id, never a 500', async () => {
    for (const bad of ['nope', '1', "x' or 1=1 --", 'a'.repeat(300)]) {
      const res = await request(t.app).get(commentPath(encodeURIComponent(bad)));
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
  });

  it('refuses a bad token rather than reading as anonymous', async () => {
    const comment = await postComment(t.app, newUser(t.tokens), await place());
    const res = await request(t.app).get(commentPath(comment.id)).set('Authorization', 'Bearer not-a-token').expect(401);
    expect(res.body.error.code).toBe('invalid_token');
  });

  it('is in the OpenAPI document, with its 404', () => {
    const doc = buildOpenApiDocument({ routes: { comments: routes } });
    const operation = doc.paths['/api/comments/{id}']?.get as { operationId: string; responses: Record<string, unknown> } | undefined;
    expect(operation?.operationId).toBe('getComment');
    expect(Object.keys(operation!.responses)).toEqual(expect.arrayContaining(['200', '400', '404']));
  });
});
