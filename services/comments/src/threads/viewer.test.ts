import request from 'supertest';
import { ThreadViewer } from '@parley/contracts';
import {
  bearer,
  moderationPath as m,
  newArticleKey,
  newSite,
  newStaff,
  newUser,
  postComment,
  reactTo,
  startTestApp,
  threadPath,
  type TestApp,
  type Where,
} from '../test-support';

/**
 * GET /api/sites/:site/articles/:article/viewer: what only the logged-in reader knows about a
 * page, asked beside the shared page so that logged-in readers are served from the cache too.
 */
let t: TestApp;
beforeAll(async () => (t = await startTestApp()));
afterAll(() => t.close());

const viewerPath = ({ site, article }: Where) => `/api/sites/${site}/articles/${article}/viewer`;
const place = async (settings = {}): Promise<Where> => ({ site: await newSite(t.db, { settings }), article: newArticleKey() });

async function counter(name: string): Promise<number> {
  return Number(new RegExp(`^${name}\\{[^}]*\\} (\\d+)`, 'm').exec(await t.metrics.metrics())?.[1] ?? 0);
}

describe('GET /api/sites/:site/articles/:article/viewer', () => {
  it('requires authentication', async () => {
    const where = await place();
    const res = await request(t.app).get(viewerPath(where)).expect(401);
    expect(res.body.error.code).toBe('unauthenticated');
  });

  it('answers 404 for an unknown site and 400 for a bad cursor', async () => {
    const reader = newUser(t.tokens);
    expect((await request(t.app).get(viewerPath({ site: 'no-such-site', article: 'a' })).set(bearer(reader)).expect(404)).body.error.code).toBe('site_not_found');
    expect((await request(t.app).get(viewerPath(await place())).query({ cursor: 'x!' }).set(bearer(reader)).expect(400)).body.error.code).toBe('invalid_cursor');
  });

  it('says which comments of the page the reader reacted to and shows their held comments, privately', async () => {
    const where = await place({ reportsToPending: 1 });
    const reader = newUser(t.tokens, 'Regular Reader');
    const other = newUser(t.tokens);
    const liked = await postComment(t.app, other, where, { body: 'liked' });
    const likedReply = await postComment(t.app, other, where, { body: 'liked reply', parentId: liked.id });
    const reported = await postComment(t.app, reader, where, { body: 'mine, reported' });
    await reactTo(t.app, reader, liked.id);
    await reactTo(t.app, reader, likedReply.id);
    await request(t.app).post(`/api/comments/${reported.id}/reports`).set(bearer(other)).send({ reason: 'spam' }).expect(201);
    await request(t.app).patch(m(`/sites/${where.site}/articles/${where.article}`)).set(bearer(newStaff(t.tokens))).send({ premoderation: true }).expect(200);
    const heldTop = await postComment(t.app, reader, where, { body: 'mine, held' });
    const heldReply = await postComment(t.app, reader, where, { body: 'my held reply', parentId: liked.id });
    // Someone else's held comment is nobody else's business.
    await postComment(t.app, other, where, { body: 'theirs, held' });

    const res = await request(t.app).get(viewerPath(where)).set(bearer(reader)).expect(200);
    expect(res.headers['cache-control']).toBe('private, no-store');
    const viewer = ThreadViewer.parse(res.body);
    expect(new Set(viewer.reacted)).toEqual(new Set([liked.id, likedReply.id]));
    expect(viewer.own.map((c) => [c.id, c.status, c.body])).toEqual([
      [reported.id, 'pending', 'mine, reported'],
      [heldTop.id, 'pending', 'mine, held'],
      [heldReply.id, 'pending', 'my held reply'],
    ]);
    expect(viewer.ban).toBeNull();

    // The same reader reading the thread with their token gets both laid over the shared page.
    const mine = await request(t.app).get(threadPath(where)).set(bearer(reader)).expect(200);
    expect(mine.body.comments.map((c: { body: string; status: string; reacted: boolean }) => [c.body, c.status, c.reacted])).toEqual([
      ['mine, held', 'pending', false],
      ['mine, reported', 'pending', false],
      ['liked', 'published', true],
    ]);
    expect(mine.body.comments[2].replies.map((c: { body: string; reacted: boolean }) => [c.body, c.reacted])).toEqual([
      ['liked reply', true],
      ['my held reply', false],
    ]);
  });

  it('lists only the held comments that belong on the page asked for', async () => {
    const where = await place();
    const reader = newUser(t.tokens);
    const other = newUser(t.tokens);
    await postComment(t.app, other, where, { body: 'oldest' });
    const middle = await postComment(t.app, other, where, { body: 'middle' });
    await request(t.app).patch(m(`/sites/${where.site}/articles/${where.article}`)).set(bearer(newStaff(t.tokens))).send({ premoderation: true }).expect(200);
    const held = await postComment(t.app, reader, where, { body: 'held, newest' });
    const read = async (query: Record<string, string | number>) =>
      ThreadViewer.parse((await request(t.app).get(viewerPath(where)).query(query).set(bearer(reader)).expect(200)).body).own.map((c) => c.id);

    const page1 = await request(t.app).get(threadPath(where)).query({ limit: 1 }).expect(200);
    expect(page1.body.comments[0].id).toBe(middle.id);
    expect(await read({ limit: 1 })).toEqual([held.id]);
    expect(await read({ limit: 1, cursor: page1.body.nextCursor })).toEqual([]);
    // Oldest first, the newest held comment belongs on the last page only.
    const oldest1 = await request(t.app).get(threadPath(where)).query({ sort: 'oldest', limit: 1 }).expect(200);
    expect(await read({ sort: 'oldest', limit: 1 })).toEqual([]);
    expect(await read({ sort: 'oldest', limit: 1, cursor: oldest1.body.nextCursor })).toEqual([held.id]);
  });

  it('says how long the site lets the reader edit, so the widget offers Edit only then', async () => {
    const site = await newSite(t.db, { settings: { editWindowSeconds: 120 } });
    const res = await request(t.app).get(viewerPath({ site, article: newArticleKey() })).set(bearer(newUser(t.tokens))).expect(200);
    expect(res.body.editWindowSeconds).toBe(120);
  });

  it('says when the reader is banned from the site', async () => {
    const where = await place();
    const reader = newUser(t.tokens);
    await request(t.app).post(m(`/users/${reader.id}/ban`)).set(bearer(newStaff(t.tokens))).send({ site: where.site, reason: 'Spam' }).expect(201);
    expect((await request(t.app).get(viewerPath(where)).set(bearer(reader)).expect(200)).body.ban).toEqual({ until: null, reason: 'Spam' });
  });

  it('lets logged-in readers be served from the shared cache: their part builds no page', async () => {
    const where = await place();
    await postComment(t.app, newUser(t.tokens), where);
    const reader = newUser(t.tokens);
    await request(t.app).get(threadPath(where)).expect(200);
    const misses = await counter('thread_cache_misses_total');
    await request(t.app).get(viewerPath(where)).set(bearer(reader)).expect(200);
    await request(t.app).get(threadPath(where)).set(bearer(reader)).expect(200);
    await request(t.app).get(threadPath(where)).expect(200);
    expect(await counter('thread_cache_misses_total')).toBe(misses);
  });
});
