import request from 'supertest';
import { bearer, newArticleKey, newSite, newStaff, newUser, postComment, startTestApp, type TestApp, type TestUser, type Where } from '../test-support';

/**
 * Following a discussion: the routes, the viewer's flag, and the digests the notification follower
 * hands to auth (standing in for POST /internal/notifications/digest; the mail itself:
 * tests/e2e/follow-digest.test.ts). FOLLOW_DIGEST_MINUTES is 30 here, the default.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({}, { ownDatabase: true });
});
afterAll(() => t.close());

const followPath = ({ site, article }: Where) => `/api/sites/${site}/articles/${article}/follow`;
const viewerPath = ({ site, article }: Where) => `/api/sites/${site}/articles/${article}/viewer`;
const digestsFor = (user: TestUser) => t.digests.filter((digest) => digest.recipientId === user.id);

async function discussion(): Promise<Where> {
  const where = { site: await newSite(t.db), article: newArticleKey() };
  await postComment(t.app, newUser(t.tokens, 'Opener'), where, { body: 'First!', title: 'Harbour works', url: 'https://news.example/harbour' });
  return where;
}

describe('PUT and DELETE …/follow', () => {
  it('requires authentication', async () => {
    const where = await discussion();
    await request(t.app).put(followPath(where)).expect(401);
    await request(t.app).delete(followPath(where)).expect(401);
    await request(t.app).put(followPath(where)).set('Authorization', 'Bearer not-a-token').expect(401);
  });

  it('answers 404 for an unknown site, or an article nobody commented on, and 400 for a malformed key', async () => {
    const reader = newUser(t.tokens);
    const unknownSite = await request(t.app).put(followPath({ site: 'no-such-site', article: 'a' })).set(bearer(reader)).expect(404);
    expect(unknownSite.body.error.code).toBe('site_not_found');
    const site = await newSite(t.db);
    const empty = await request(t.app).put(followPath({ site, article: newArticleKey() })).set(bearer(reader)).expect(404);
    expect(empty.body.error.code).toBe('article_not_found');
    const bad = await request(t.app).put(followPath({ site, article: 'x'.repeat(201) })).set(bearer(reader)).expect(400);
    expect(bad.body.error.code).toBe('validation_failed');
    expect(await t.db.selectFrom('article_follows').select('user_id').where('user_id', '=', reader.id).execute()).toEqual([]);
  });

  it('is shown on the viewer route, idempotent both ways', async () => {
    const where = await discussion();
    const reader = newUser(t.tokens);
    expect((await request(t.app).get(viewerPath(where)).set(bearer(reader)).expect(200)).body.following).toBe(false);
    expect((await request(t.app).put(followPath(where)).set(bearer(reader)).expect(200)).body).toEqual({ following: true });
    await request(t.app).put(followPath(where)).set(bearer(reader)).expect(200);
    expect((await request(t.app).get(viewerPath(where)).set(bearer(reader)).expect(200)).body.following).toBe(true);
    expect((await request(t.app).delete(followPath(where)).set(bearer(reader)).expect(200)).body).toEqual({ following: false });
    await request(t.app).delete(followPath(where)).set(bearer(reader)).expect(200);
    expect((await request(t.app).get(viewerPath(where)).set(bearer(reader)).expect(200)).body.following).toBe(false);
  });

  it('ends with the account: erasing it drops its follows', async () => {
    const where = await discussion();
    const reader = newUser(t.tokens);
    await request(t.app).put(followPath(where)).set(bearer(reader)).expect(200);
    await request(t.app).post('/api/me/erase').set(bearer(reader)).send({ comments: 'anonymize' }).expect(200);
    expect(await t.db.selectFrom('article_follows').select('user_id').where('user_id', '=', reader.id).execute()).toEqual([]);
  });

  it('is rate limited with reactions', async () => {
    const limited = t.withEnv({ REACTION_RATE_LIMIT: '2' });
    const where = await discussion();
    const reader = newUser(t.tokens);
    await request(limited).put(followPath(where)).set(bearer(reader)).expect(200);
    await request(limited).delete(followPath(where)).set(bearer(reader)).expect(200);
    const refused = await request(limited).put(followPath(where)).set(bearer(reader)).expect(429);
    expect(refused.body.error.code).toBe('rate_limited');
    expect(refused.headers['retry-after']).toBeDefined();
    expect((await request(t.app).get(viewerPath(where)).set(bearer(reader)).expect(200)).body.following).toBe(false);
  });
});

describe('digests', () => {
  it('batch a follower’s new comments: two within the window are one digest, a later one opens the next', async () => {
    const where = await discussion();
    const follower = newUser(t.tokens, 'Fay');
    await request(t.app).put(followPath(where)).set(bearer(follower)).expect(200);
    await postComment(t.app, newUser(t.tokens, 'Ann'), where, { body: 'The harbour needs dredging.' });
    await t.notificationsIdle();
    t.clock.advance(10 * 60);
    await postComment(t.app, newUser(t.tokens, 'Bob'), where, { body: 'It was dredged in 2019.' });
    await t.notificationsIdle();
    expect(digestsFor(follower)).toEqual([]);

    // 30 minutes after the first: one digest with both.
    t.clock.advance(21 * 60);
    await t.notificationsIdle();
    expect(digestsFor(follower)).toEqual([
      {
        recipientId: follower.id,
        digestKey: expect.stringMatching(/^[0-9a-f-]{36}:\d+$/),
        articleTitle: 'Harbour works',
        articleUrl: 'https://news.example/harbour',
        comments: [
          { authorName: 'Ann', excerpt: 'The harbour needs dredging.' },
          { authorName: 'Bob', excerpt: 'It was dredged in 2019.' },
        ],
        more: 0,
      },
    ]);

    // A later comment waits for the next window, however quiet the discussion was.
    await postComment(t.app, newUser(t.tokens, 'Cy'), where, { body: 'And silted up again.' });
    await t.notificationsIdle();
    expect(digestsFor(follower)).toHaveLength(1);
    t.clock.advance(31 * 60);
    await t.notificationsIdle();
    expect(digestsFor(follower).map((digest) => digest.comments)).toEqual([
      [expect.objectContaining({ authorName: 'Ann' }), expect.objectContaining({ authorName: 'Bob' })],
      [{ authorName: 'Cy', excerpt: 'And silted up again.' }],
    ]);
  });

  it('leave out the follower’s own comments, held ones and removed ones, and stop when unfollowed', async () => {
    const site = await newSite(t.db);
    const where = { site, article: newArticleKey() };
    await postComment(t.app, newUser(t.tokens, 'Opener'), where, { body: 'Opening.' });
    const follower = newUser(t.tokens, 'Fay');
    const moderator = newStaff(t.tokens, 'admin');
    await request(t.app).put(followPath(where)).set(bearer(follower)).expect(200);
    await postComment(t.app, follower, where, { body: 'My own words.' });
    const removed = await postComment(t.app, newUser(t.tokens, 'Rex'), where, { body: 'Soon gone.' });
    await postComment(t.app, newUser(t.tokens, 'Kay'), where, { body: 'Kept.' });
    await request(t.app).post(`/api/moderation/comments/${removed.id}/remove`).set(bearer(moderator)).send({ reason: 'spam' }).expect(200);
    // Held for a moderator: never a comment:created event, so never in a digest.
    await request(t.app).patch(`/api/moderation/sites/${site}/articles/${where.article}`).set(bearer(moderator)).send({ premoderation: true }).expect(200);
    await postComment(t.app, newUser(t.tokens, 'Hal'), where, { body: 'Held.' });
    await t.notificationsIdle();
    t.clock.advance(31 * 60);
    await t.notificationsIdle();
    expect(digestsFor(follower).map((digest) => digest.comments)).toEqual([[{ authorName: 'Kay', excerpt: 'Kept.' }]]);

    await request(t.app).patch(`/api/moderation/sites/${site}/articles/${where.article}`).set(bearer(moderator)).send({ premoderation: false }).expect(200);
    await postComment(t.app, newUser(t.tokens, 'Lou'), where, { body: 'Unread by Fay.' });
    await t.notificationsIdle();
    await request(t.app).delete(followPath(where)).set(bearer(follower)).expect(200);
    t.clock.advance(31 * 60);
    await t.notificationsIdle();
    expect(digestsFor(follower)).toHaveLength(1);
  });

  it('quote at most 10 comments and count the rest', async () => {
    const where = await discussion();
    const follower = newUser(t.tokens, 'Fay');
    await request(t.app).put(followPath(where)).set(bearer(follower)).expect(200);
    for (let i = 1; i <= 12; i += 1) await postComment(t.app, newUser(t.tokens, `Writer ${i}`), where, { body: `Comment ${i}` });
    await t.notificationsIdle();
    t.clock.advance(31 * 60);
    await t.notificationsIdle();
    const [digest] = digestsFor(follower);
    expect(digest!.comments.map((comment) => comment.excerpt)).toEqual(Array.from({ length: 10 }, (_, i) => `Comment ${i + 1}`));
    expect(digest!.more).toBe(2);
  });

  it('wait while auth is unreachable and go out once it answers', async () => {
    const where = await discussion();
    const follower = newUser(t.tokens, 'Fay');
    await request(t.app).put(followPath(where)).set(bearer(follower)).expect(200);
    await postComment(t.app, newUser(t.tokens, 'Ann'), where, { body: 'Still here.' });
    await t.notificationsIdle();
    t.setAuthReachable(false);
    t.clock.advance(31 * 60);
    await t.notificationsIdle();
    expect(digestsFor(follower)).toEqual([]);
    t.setAuthReachable(true);
    await t.notificationsIdle();
    await t.notificationsIdle();
    expect(digestsFor(follower)).toHaveLength(1);
  });
});
