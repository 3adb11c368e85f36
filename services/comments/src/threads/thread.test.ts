import request from 'supertest';
import { ThreadPage, type Comment } from '@parley/contracts';
import { newArticleKey, newSite, newUser, postComment, startTestApp, threadPath, type TestApp, type Where } from '../test-support';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const place = async () => ({ site: await newSite(t.db), article: newArticleKey() });
const ids = (comments: Comment[]) => comments.map((c) => c.id);

async function readThread(where: Where, query: Record<string, string | number> = {}) {
  const res = await request(t.app).get(threadPath(where)).query(query);
  expect(res.status).toBe(200);
  return ThreadPage.parse(res.body);
}

async function postMany(where: Where, count: number): Promise<Comment[]> {
  const user = newUser(t.tokens);
  const posted: Comment[] = [];
  for (let i = 0; i < count; i++) posted.push(await postComment(t.app, user, where, { body: `comment ${i}` }));
  return posted;
}

describe('GET /api/sites/:site/articles/:article/comments', () => {
  it('reads an article nobody has commented on yet as open and empty', async () => {
    const where = await place();
    expect(await readThread(where)).toEqual({
      article: { site: where.site, key: where.article, title: null, url: null, state: 'open', commentCount: 0, seq: 0 },
      comments: [],
      nextCursor: null,
    });
  });

  it('answers 404 site_not_found for an unknown site', async () => {
    const res = await request(t.app).get(threadPath({ site: 'no-such-site', article: 'a' }));
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'site_not_found', requestId: expect.any(String) });
  });

  it('shows top-level comments with their first three replies, oldest first, and the reply count', async () => {
    const where = await place();
    const user = newUser(t.tokens);
    const top = await postComment(t.app, user, where, { body: 'top' });
    const replies: Comment[] = [];
    for (let i = 0; i < 5; i++) replies.push(await postComment(t.app, user, where, { parentId: top.id, body: `reply ${i}` }));
    await postComment(t.app, user, where, { parentId: replies[0]!.id, body: 'nested' });
    const lonely = await postComment(t.app, user, where, { body: 'no replies' });

    const page = await readThread(where);
    expect(ids(page.comments)).toEqual([lonely.id, top.id]);
    expect(page.comments[0]!.replies).toEqual([]);
    const [, first] = page.comments;
    expect(first!.replyCount).toBe(5);
    expect(ids(first!.replies!)).toEqual(ids(replies.slice(0, 3)));
    expect(first!.replies![0]!.replyCount).toBe(1);
    expect(page.article.commentCount).toBe(8);
  });

  it('sorts newest, oldest and top (most reactions, then newest)', async () => {
    const where = await place();
    const [a, b, c, d] = await postMany(where, 4);
    const bump = (id: string, n: number) => t.db.updateTable('comments').set({ reaction_count: n }).where('id', '=', id).execute();
    await bump(b!.id, 5);
    await bump(d!.id, 2);
    await bump(a!.id, 2);

    expect(ids((await readThread(where)).comments)).toEqual([d!.id, c!.id, b!.id, a!.id]);
    expect(ids((await readThread(where, { sort: 'oldest' })).comments)).toEqual([a!.id, b!.id, c!.id, d!.id]);
    expect(ids((await readThread(where, { sort: 'top' })).comments)).toEqual([b!.id, d!.id, a!.id, c!.id]);
  });

  it.each(['newest', 'oldest', 'top'] as const)('walks %s with a cursor, every comment exactly once, in order', async (sort) => {
    const where = await place();
    const posted = await postMany(where, 25);
    for (const [i, comment] of posted.entries()) {
      await t.db.updateTable('comments').set({ reaction_count: i % 4 }).where('id', '=', comment.id).execute();
    }
    const seen: Comment[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: ThreadPage = await readThread(where, { sort, limit: 10, ...(cursor ? { cursor } : {}) });
      seen.push(...page.comments);
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(ids(seen)).size).toBe(25);
    const expected = [...seen].sort((x, y) => {
      if (sort === 'top' && x.reactionCount !== y.reactionCount) return y.reactionCount - x.reactionCount;
      const byTime = x.createdAt.localeCompare(y.createdAt) || x.id.localeCompare(y.id);
      return sort === 'oldest' ? byTime : -byTime;
    });
    expect(ids(seen)).toEqual(ids(expected));
    if (sort === 'newest') expect(ids(seen)).toEqual(ids(posted).reverse());
  });

  it('has no next cursor when the page is exactly the rest', async () => {
    const where = await place();
    await postMany(where, 3);
    const page = await readThread(where, { limit: 3 });
    expect(page.comments).toHaveLength(3);
    expect(page.nextCursor).toBeNull();
  });

  it('refuses garbage and foreign cursors with 400 invalid_cursor', async () => {
    const where = await place();
    await postMany(where, 3);
    const { nextCursor } = await readThread(where, { limit: 1 });
    for (const query of [{ cursor: 'garbage!' }, { cursor: 'eyJrIjoibmV3ZXN0In0' }, { cursor: nextCursor!, sort: 'top' }]) {
      const res = await request(t.app).get(threadPath(where)).query(query);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_cursor');
    }
  });

  it('rejects bad query parameters naming them, and unknown ones', async () => {
    const where = await place();
    for (const [query, field] of [
      [{ sort: 'random' }, 'sort'],
      [{ limit: '0' }, 'limit'],
      [{ limit: '101' }, 'limit'],
      [{ limit: 'ten' }, 'limit'],
      [{ page: '2' }, 'body'],
    ] as const) {
      const res = await request(t.app).get(threadPath(where)).query(query);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    }
  });
});
