import request from 'supertest';
import { articleEvents, articleRow, bearer, newArticleKey, newSite, newUser, postComment, startTestApp, threadPath, type TestApp } from '../test-support';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const place = async () => ({ site: await newSite(t.db), article: newArticleKey() });

describe('DELETE /api/comments/:id', () => {
  it('requires authentication', async () => {
    const comment = await postComment(t.app, newUser(t.tokens), await place());
    const res = await request(t.app).delete(`/api/comments/${comment.id}`);
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: 'unauthenticated', requestId: expect.any(String) });
    const tampered = await request(t.app).delete(`/api/comments/${comment.id}`).set('Authorization', 'Bearer a.b.c');
    expect(tampered.status).toBe(401);
    expect(tampered.body.error.code).toBe('invalid_token');
  });

  it('leaves a tombstone in place: replies stay, author and text go, the count drops', async () => {
    const where = await place();
    const author = newUser(t.tokens);
    const other = newUser(t.tokens);
    const top = await postComment(t.app, author, where, { body: 'regrettable' });
    const reply = await postComment(t.app, other, where, { parentId: top.id, body: 'a reply' });
    expect((await articleRow(t.db, where))?.comment_count).toBe(2);

    await request(t.app).delete(`/api/comments/${top.id}`).set(bearer(author)).expect(204);

    const thread = await request(t.app).get(threadPath(where));
    expect(thread.body.article.commentCount).toBe(1);
    expect(thread.body.comments).toEqual([
      expect.objectContaining({
        id: top.id,
        status: 'deleted',
        author: null,
        body: '',
        html: '',
        replyCount: 1,
        replies: [expect.objectContaining({ id: reply.id, body: 'a reply' })],
      }),
    ]);
    const events = await articleEvents(t.db, where);
    expect(events.map((e) => [e.seq, e.change.type])).toEqual([
      [1, 'comment:created'],
      [2, 'comment:created'],
      [3, 'comment:removed'],
    ]);
    expect(events[2]!.change).toMatchObject({ comment: { id: top.id, status: 'deleted', author: null, body: '', html: '' } });
  });

  it('is idempotent for the author: a second delete is 204 and records nothing', async () => {
    const where = await place();
    const author = newUser(t.tokens);
    const comment = await postComment(t.app, author, where);
    await request(t.app).delete(`/api/comments/${comment.id}`).set(bearer(author)).expect(204);
    await request(t.app).delete(`/api/comments/${comment.id}`).set(bearer(author)).expect(204);
    expect((await articleEvents(t.db, where)).length).toBe(2);
    expect((await articleRow(t.db, where))?.comment_count).toBe(0);
  });

  it('refuses anyone but the author with 403 and changes nothing', async () => {
    const where = await place();
    const comment = await postComment(t.app, newUser(t.tokens), where);
    const res = await request(t.app).delete(`/api/comments/${comment.id}`).set(bearer(newUser(t.tokens)));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
    const thread = await request(t.app).get(threadPath(where));
    expect(thread.body.comments[0]).toMatchObject({ status: 'published', body: comment.body });
    expect(thread.body.article.commentCount).toBe(1);
  });

  it('answers 404 comment_not_found for unknown comments and 400 for malformed ids', async () => {
    const user = newUser(t.tokens);
    const unknown = await request(t.app).delete(`/api/comments/${crypto.randomUUID()}`).set(bearer(user));
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('comment_not_found');
    const malformed = await request(t.app).delete('/api/comments/42').set(bearer(user));
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.details[0].field).toBe('id');
  });
});
