import request from 'supertest';
import { articleRow, bearer, moderationPath as m, newArticleKey, newSite, newSiteModerator, newStaff, newUser, postComment, startTestApp, type TestApp } from '../test-support';

// The console's article controls: a typo in an article key is refused, not a new article.
let t: TestApp;
beforeAll(async () => (t = await startTestApp()));
afterAll(async () => t.close());

describe('article controls with create: false', () => {
  it('change an existing article, and refuse an unknown key without creating it', async () => {
    const site = await newSite(t.db);
    const article = newArticleKey();
    await postComment(t.app, newUser(t.tokens), { site, article }, { body: 'First.' });
    const mod = newStaff(t.tokens);
    const closed = await request(t.app).patch(m(`/sites/${site}/articles/${article}`)).set(bearer(mod)).send({ state: 'closed', create: false }).expect(200);
    expect(closed.body.article).toMatchObject({ key: article, state: 'closed' });

    const typo = `${article}x`;
    const refused = await request(t.app).patch(m(`/sites/${site}/articles/${typo}`)).set(bearer(mod)).send({ state: 'closed', create: false }).expect(404);
    expect(refused.body.error.code).toBe('article_not_found');
    expect(await articleRow(t.db, { site, article: typo })).toBeUndefined();
    // Asked for explicitly (or by scripts that omit it), an article is set up before its first comment.
    await request(t.app).patch(m(`/sites/${site}/articles/${typo}`)).set(bearer(mod)).send({ state: 'closed', create: true }).expect(200);
    expect(await articleRow(t.db, { site, article: typo })).toMatchObject({ state: 'closed' });
  });

  it('still needs a change besides create, a moderator of the site, and a known site', async () => {
    const site = await newSite(t.db);
    const mod = newStaff(t.tokens);
    const path = m(`/sites/${site}/articles/${newArticleKey()}`);
    expect((await request(t.app).patch(path).set(bearer(mod)).send({ create: false }).expect(400)).body.error.code).toBe('validation_failed');
    expect((await request(t.app).patch(path).set(bearer(mod)).send({ state: 'closed', create: 'no' }).expect(400)).body.error.code).toBe('validation_failed');
    await request(t.app).patch(path).send({ state: 'closed', create: false }).expect(401);
    await request(t.app).patch(path).set(bearer(newUser(t.tokens))).send({ state: 'closed', create: false }).expect(403);
    const unknown = await request(t.app).patch(m(`/sites/no-such-site/articles/x`)).set(bearer(mod)).send({ state: 'closed', create: false }).expect(404);
    expect(unknown.body.error.code).toBe('site_not_found');
  });
});

describe('GET /api/moderation/sites/:site/articles', () => {
  it('lists the site\'s articles newest first with state, counts and last activity, by keyset, filtered', async () => {
    const site = await newSite(t.db, { settings: { premoderation: false } });
    const [quiet, busy] = [`quiet-${newArticleKey()}`, `busy-${newArticleKey()}`];
    const mod = newStaff(t.tokens);
    await request(t.app).patch(m(`/sites/${site}/articles/${quiet}`)).set(bearer(mod)).send({ state: 'closed' }).expect(200);
    const first = await postComment(t.app, newUser(t.tokens), { site, article: busy }, { body: 'One.' });
    await postComment(t.app, newUser(t.tokens), { site, article: busy }, { body: 'Two.' });
    await request(t.app).post(`/api/comments/${first.id}/reports`).set(bearer(newUser(t.tokens))).send({ reason: 'spam' }).expect(201);
    await request(t.app).patch(m(`/sites/${site}/articles/${busy}`)).set(bearer(mod)).send({ premoderation: true }).expect(200);
    await postComment(t.app, newUser(t.tokens), { site, article: busy }, { body: 'Held.' });

    const path = m(`/sites/${site}/articles`);
    const all = await request(t.app).get(path).set(bearer(mod)).expect(200);
    expect(all.body.articles.map((a: { key: string }) => a.key)).toEqual([busy, quiet]);
    expect(all.body.articles[0]).toMatchObject({ key: busy, state: 'open', commentCount: 2, pendingCount: 1, reportedCount: 1, premoderation: true, lastActivityAt: expect.any(String) });
    expect(all.body.articles[1]).toMatchObject({ key: quiet, state: 'closed', commentCount: 0, pendingCount: 0, reportedCount: 0 });

    const page = await request(t.app).get(`${path}?limit=1`).set(bearer(mod)).expect(200);
    const next = await request(t.app).get(`${path}?limit=1&cursor=${page.body.nextCursor}`).set(bearer(mod)).expect(200);
    expect(next.body).toMatchObject({ articles: [{ key: quiet }], nextCursor: null });
    expect((await request(t.app).get(`${path}?state=closed`).set(bearer(mod)).expect(200)).body.articles.map((a: { key: string }) => a.key)).toEqual([quiet]);
    expect((await request(t.app).get(`${path}?q=BUSY`).set(bearer(mod)).expect(200)).body.articles.map((a: { key: string }) => a.key)).toEqual([busy]);
  });

  it('refuses bad filters, other sites\' moderators, readers, anonymous callers and unknown sites', async () => {
    const site = await newSite(t.db);
    const mod = newStaff(t.tokens);
    const path = m(`/sites/${site}/articles`);
    expect((await request(t.app).get(`${path}?state=archived`).set(bearer(mod)).expect(400)).body.error.code).toBe('validation_failed');
    expect((await request(t.app).get(`${path}?cursor=nope`).set(bearer(mod)).expect(400)).body.error.code).toBe('invalid_cursor');
    await request(t.app).get(path).set(bearer(newSiteModerator(t.tokens, ['elsewhere']))).expect(403);
    await request(t.app).get(path).set(bearer(newUser(t.tokens))).expect(403);
    await request(t.app).get(path).expect(401);
    expect((await request(t.app).get(m('/sites/no-such-site/articles')).set(bearer(mod)).expect(404)).body.error.code).toBe('site_not_found');
  });
});
