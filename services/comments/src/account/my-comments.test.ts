import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { bearer, newArticleKey, newSite, newStaff, newUser, postComment, startTestApp, type TestApp, type TestUser } from '../test-support';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const place = async () => ({ site: await newSite(t.db), article: newArticleKey() });
const mine = (user: TestUser, query: Record<string, string | number> = {}) => request(t.app).get('/api/me/comments').query(query).set(bearer(user));

describe('GET /api/me/comments', () => {
  it('requires authentication', async () => {
    const res = await request(t.app).get('/api/me/comments');
    expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 401, code: 'unauthenticated' });
  });

  it('lists only my comments, newest first, with their articles', async () => {
    const where = await place();
    const me = newUser(t.tokens);
    const other = newUser(t.tokens);
    const first = await postComment(t.app, me, where, { body: 'My   first\n\nthought.', title: 'The headline', url: 'https://news.example/story' });
    const theirs = await postComment(t.app, other, where, { body: 'Not mine.' });
    const second = await postComment(t.app, me, where, { body: 'My reply.', parentId: theirs.id });
    await postComment(t.app, other, where, { body: 'A reply to me.', parentId: first.id });

    const res = await mine(me, { site: where.site }).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({
      comments: [
        {
          id: second.id,
          site: where.site,
          article: where.article,
          articleTitle: 'The headline',
          articleUrl: 'https://news.example/story',
          excerpt: 'My reply.',
          status: 'published',
          removalReason: null,
          createdAt: second.createdAt,
          replyCount: 0,
        },
        expect.objectContaining({ id: first.id, excerpt: 'My first thought.', status: 'published', replyCount: 1 }),
      ],
      nextCursor: null,
    });
    // Someone who never commented has an empty list.
    expect((await mine(newUser(t.tokens)).expect(200)).body).toEqual({ comments: [], nextCursor: null });
  });

  it('cuts a long comment to an excerpt', async () => {
    const me = newUser(t.tokens);
    await postComment(t.app, me, await place(), { body: 'word '.repeat(100) });
    const [item] = (await mine(me).expect(200)).body.comments;
    expect([...item.excerpt].length).toBeLessThanOrEqual(160);
    expect(item.excerpt).toMatch(/^word word .*…$/);
  });

  it('pages through every comment once, in order, with no gaps or repeats', async () => {
    const where = await place();
    const me = newUser(t.tokens);
    const posted: string[] = [];
    for (let i = 0; i < 7; i += 1) posted.push((await postComment(t.app, me, where, { body: `Comment ${i}` })).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: request.Response = await mine(me, { limit: 3, ...(cursor ? { cursor } : {}) }).expect(200);
      expect(res.body.comments.length).toBeLessThanOrEqual(3);
      seen.push(...res.body.comments.map((c: { id: string }) => c.id));
      cursor = res.body.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...posted].reverse());
    // A comment posted meanwhile is on the first page, not wedged into the later ones.
    const fresh = await postComment(t.app, me, where, { body: 'Later.' });
    expect((await mine(me, { limit: 1 }).expect(200)).body.comments[0].id).toBe(fresh.id);
  });

  it('filters by site, and lists every site without one', async () => {
    const me = newUser(t.tokens);
    const here = await place();
    const there = await place();
    const onHere = await postComment(t.app, me, here);
    const onThere = await postComment(t.app, me, there);
    expect((await mine(me, { site: here.site }).expect(200)).body.comments.map((c: { id: string }) => c.id)).toEqual([onHere.id]);
    expect((await mine(me, { site: there.site }).expect(200)).body.comments.map((c: { id: string }) => c.id)).toEqual([onThere.id]);
    expect((await mine(me).expect(200)).body.comments.map((c: { id: string }) => c.id)).toEqual([onThere.id, onHere.id]);
  });

  it('answers 404 for an unknown site', async () => {
    const res = await mine(newUser(t.tokens), { site: 'no-such-site' });
    expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 404, code: 'site_not_found' });
  });

  it('refuses a bad cursor or limit with 400', async () => {
    const me = newUser(t.tokens);
    for (const cursor of ['not a cursor', Buffer.from('{"k":"mine"}').toString('base64url')]) {
      const res = await mine(me, { cursor });
      expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 400, code: 'invalid_cursor' });
    }
    // Another list's cursor is not one of these.
    const other = Buffer.from(JSON.stringify({ k: 'history', t: new Date().toISOString(), id: randomUUID() })).toString('base64url');
    expect((await mine(me, { cursor: other })).body.error.code).toBe('invalid_cursor');
    for (const limit of [0, 51, 'ten', 2.5]) {
      const res = await mine(me, { limit });
      expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 400, code: 'validation_failed' });
    }
    const res = await mine(me, { site: 'Not A Site!' });
    expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 400, code: 'validation_failed' });
    expect((await mine(me, { limit: 50 })).status).toBe(200);
  });

  it('says which of my comments wait, were removed (and why) or deleted, without a tombstone’s text', async () => {
    const held = { site: await newSite(t.db, { settings: { premoderation: true } }), article: newArticleKey() };
    const where = await place();
    const me = newUser(t.tokens);
    const moderator = newStaff(t.tokens);
    const waiting = await postComment(t.app, me, held, { body: 'Waiting words.' });
    const removed = await postComment(t.app, me, where, { body: 'Rude words.' });
    await request(t.app).post(`/api/moderation/comments/${removed.id}/remove`).set(bearer(moderator)).send({ reason: 'abuse: mind your language' }).expect(200);
    const deleted = await postComment(t.app, me, where, { body: 'Regretted words.' });
    await request(t.app).delete(`/api/comments/${deleted.id}`).set(bearer(me)).expect(204);

    const { comments } = (await mine(me).expect(200)).body;
    const byId = new Map(comments.map((c: { id: string }) => [c.id, c]));
    expect(byId.get(deleted.id)).toEqual(expect.objectContaining({ status: 'deleted', excerpt: '', removalReason: null }));
    expect(byId.get(removed.id)).toEqual(expect.objectContaining({ status: 'removed', excerpt: '', removalReason: 'abuse: mind your language' }));
    expect(byId.get(waiting.id)).toEqual(expect.objectContaining({ status: 'pending', excerpt: 'Waiting words.', removalReason: null }));
    // The reason is the author's: nobody else's list has it.
    expect((await mine(newUser(t.tokens)).expect(200)).body.comments).toEqual([]);
  });

  it('works with a staff session too', async () => {
    const moderator = newStaff(t.tokens);
    const comment = await postComment(t.app, moderator, await place());
    expect((await mine(moderator).expect(200)).body.comments.map((c: { id: string }) => c.id)).toEqual([comment.id]);
  });
});
