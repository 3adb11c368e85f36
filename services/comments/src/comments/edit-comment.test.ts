import request from 'supertest';
import { articleEvents, bearer, newArticleKey, newSite, newUser, postComment, startTestApp, type TestApp } from '../test-support';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ EDIT_WINDOW_SECONDS: '900' });
});
afterAll(() => t.close());

const place = async (settings = {}) => ({ site: await newSite(t.db, { settings }), article: newArticleKey() });
const edit = (id: string, token?: string) => {
  const req = request(t.app).patch(`/api/comments/${id}`);
  return token ? req.set('Authorization', `Bearer ${token}`) : req;
};

describe('PATCH /api/comments/:id', () => {
  it('requires authentication', async () => {
    const comment = await postComment(t.app, newUser(t.tokens), await place());
    const res = await edit(comment.id).send({ body: 'changed' });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthenticated');
    const expired = await edit(comment.id, t.tokens.sign({ sub: comment.author!.id }, { expiresInSeconds: -1 })).send({ body: 'changed' });
    expect(expired.status).toBe(401);
  });

  it('lets the author rewrite the body, re-rendered and marked edited', async () => {
    const where = await place();
    const author = newUser(t.tokens);
    const comment = await postComment(t.app, author, where, { body: 'typo' });
    const res = await edit(comment.id, author.token).send({ body: 'Fixed **typo**' });
    expect(res.status).toBe(200);
    expect(res.body.comment).toMatchObject({
      id: comment.id,
      body: 'Fixed **typo**',
      html: '<p>Fixed <strong>typo</strong></p>',
      createdAt: comment.createdAt,
      editedAt: expect.stringMatching(/Z$/),
    });
    const thread = await request(t.app).get(`/api/sites/${where.site}/articles/${where.article}/comments`);
    expect(thread.body.comments[0]).toMatchObject({ body: 'Fixed **typo**', editedAt: res.body.comment.editedAt });
    expect((await articleEvents(t.db, where)).map((e) => e.change.type)).toEqual(['comment:created', 'comment:updated']);
  });

  it('refuses anyone but the author with 403 forbidden', async () => {
    const where = await place();
    const comment = await postComment(t.app, newUser(t.tokens), where, { body: 'mine' });
    const res = await edit(comment.id, newUser(t.tokens).token).send({ body: 'hijacked' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
    expect((await articleEvents(t.db, where)).length).toBe(1);
  });

  it('closes the edit window after the configured time (403 edit_window_expired)', async () => {
    const where = await place();
    const author = newUser(t.tokens);
    const comment = await postComment(t.app, author, where);
    t.clock.advance(14 * 60);
    await edit(comment.id, author.token).send({ body: 'still in time' }).expect(200);
    t.clock.advance(2 * 60);
    const res = await edit(comment.id, author.token).send({ body: 'too late' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('edit_window_expired');
  });

  it("uses the site's own edit window when it has one", async () => {
    const where = await place({ editWindowSeconds: 60 });
    const author = newUser(t.tokens);
    const comment = await postComment(t.app, author, where);
    t.clock.advance(61);
    const res = await edit(comment.id, author.token).send({ body: 'too late' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('edit_window_expired');
  });

  it('answers 404 for unknown and deleted comments, 400 for bad ids and bodies', async () => {
    const author = newUser(t.tokens);
    const comment = await postComment(t.app, author, await place());
    const unknown = await edit(crypto.randomUUID(), author.token).send({ body: 'x' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('comment_not_found');

    for (const [payload, field] of [
      [{ body: '' }, 'body'],
      [{ body: 'x'.repeat(5001) }, 'body'],
      [{ body: 'ok', status: 'published' }, 'body'],
    ] as const) {
      const res = await edit(comment.id, author.token).send(payload);
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    }
    const badId = await edit('not-a-uuid', author.token).send({ body: 'x' });
    expect(badId.status).toBe(400);
    expect(badId.body.error.details[0].field).toBe('id');

    await request(t.app).delete(`/api/comments/${comment.id}`).set(bearer(author)).expect(204);
    const gone = await edit(comment.id, author.token).send({ body: 'resurrect' });
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('comment_not_found');
  });
});
