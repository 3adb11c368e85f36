import request from 'supertest';
import { articleRow, bearer, moderationPath as m, newArticleKey, newSite, newStaff, newUser, postComment, startTestApp, type TestApp } from '../test-support';

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
