import request from 'supertest';
import { RepliesPage, type Comment } from '@parley/contracts';
import { bearer, newArticleKey, newSite, newUser, postComment, startTestApp, type TestApp } from '../test-support';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const place = async () => ({ site: await newSite(t.db), article: newArticleKey() });
const repliesPath = (id: string) => `/api/comments/${id}/replies`;

describe('GET /api/comments/:id/replies', () => {
  it('pages through direct replies oldest first, each exactly once', async () => {
    const where = await place();
    const user = newUser(t.tokens);
    const top = await postComment(t.app, user, where);
    const replies: Comment[] = [];
    for (let i = 0; i < 12; i++) replies.push(await postComment(t.app, user, where, { parentId: top.id, body: `reply ${i}` }));
    await postComment(t.app, user, where, { parentId: replies[0]!.id, body: 'grandchild, not a direct reply' });

    const seen: Comment[] = [];
    let cursor: string | null = null;
    do {
      const res = await request(t.app).get(repliesPath(top.id)).query({ limit: 5, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      const page: RepliesPage = RepliesPage.parse(res.body);
      seen.push(...page.comments);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.map((c) => c.id)).toEqual(replies.map((c) => c.id));
    expect(seen[0]).toMatchObject({ replyCount: 1, depth: 1, rootId: top.id });
  });

  it('keeps deleted replies as tombstones in their place', async () => {
    const where = await place();
    const user = newUser(t.tokens);
    const top = await postComment(t.app, user, where);
    const first = await postComment(t.app, user, where, { parentId: top.id });
    const second = await postComment(t.app, user, where, { parentId: top.id });
    await request(t.app).delete(`/api/comments/${first.id}`).set(bearer(user)).expect(204);
    const res = await request(t.app).get(repliesPath(top.id));
    expect(res.body.comments.map((c: Comment) => [c.id, c.status, c.author])).toEqual([
      [first.id, 'deleted', null],
      [second.id, 'published', { id: user.id, name: user.name }],
    ]);
    expect(res.body.nextCursor).toBeNull();
  });

  it('answers 404 comment_not_found for an unknown comment', async () => {
    const res = await request(t.app).get(repliesPath(crypto.randomUUID()));
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'comment_not_found', requestId: expect.any(String) });
  });

  it('validates the id, limit and cursor', async () => {
    const top = await postComment(t.app, newUser(t.tokens), await place());
    const badId = await request(t.app).get(repliesPath('nope'));
    expect(badId.status).toBe(400);
    expect(badId.body.error.details[0].field).toBe('id');
    const badLimit = await request(t.app).get(repliesPath(top.id)).query({ limit: 1000 });
    expect(badLimit.body.error.details[0].field).toBe('limit');
    const unknown = await request(t.app).get(repliesPath(top.id)).query({ sort: 'top' });
    expect(unknown.status).toBe(400);
    const threadCursor = Buffer.from(JSON.stringify({ k: 'newest', t: new Date().toISOString(), id: top.id })).toString('base64url');
    for (const cursor of ['%%%', threadCursor]) {
      const res = await request(t.app).get(repliesPath(top.id)).query({ cursor });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_cursor');
    }
  });
});
