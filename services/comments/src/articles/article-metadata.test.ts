import request from 'supertest';
import {
  articleRow,
  bearer,
  moderationPath as m,
  newArticleKey,
  newSite,
  newStaff,
  newUser,
  postComment,
  startTestApp,
  threadPath,
  type TestApp,
} from '../test-support';

/**
 * An article's title and url come from the first post and end up as links in the console, so
 * only http(s) urls on the publisher's own site are stored, and staff can correct both.
 */
let t: TestApp;
beforeAll(async () => (t = await startTestApp()));
afterAll(async () => t.close());

describe('article urls', () => {
  it.each(['javascript:alert(document.domain)', 'data:text/html,<script>alert(1)</script>', 'file:///etc/passwd', 'ftp://news.example/a'])(
    'refuses %s as an article url with 400, creating nothing',
    async (url) => {
      const where = { site: await newSite(t.db), article: newArticleKey() };
      const response = await request(t.app).post(threadPath(where)).set(bearer(newUser(t.tokens))).send({ body: 'Hello', url }).expect(400);
      expect(response.body.error.details).toEqual([{ field: 'url', message: 'must be an http:// or https:// URL' }]);
      expect(await articleRow(t.db, where)).toBeUndefined();
    },
  );

  it('keeps a url only on one of the site\'s origins when it lists any', async () => {
    const site = await newSite(t.db, { origins: ['https://news.example'] });
    const elsewhere = { site, article: newArticleKey() };
    const refused = await request(t.app)
      .post(threadPath(elsewhere))
      .set(bearer(newUser(t.tokens)))
      .send({ body: 'Hello', url: 'https://phish.example/login' })
      .expect(400);
    expect(refused.body.error.details).toEqual([{ field: 'url', message: "must be on one of the site's origins (https://news.example)" }]);
    expect(await articleRow(t.db, elsewhere)).toBeUndefined();

    const here = { site, article: newArticleKey() };
    await postComment(t.app, newUser(t.tokens), here, { url: 'https://news.example/2026/council-vote', title: 'Council vote' });
    expect(await articleRow(t.db, here)).toMatchObject({ url: 'https://news.example/2026/council-vote', title: 'Council vote' });
  });
});

describe('staff correct an article\'s title and url', () => {
  it('sets and clears them, logs before and after, and refuses a bad url or a reader', async () => {
    const site = await newSite(t.db, { origins: ['https://news.example'] });
    const where = { site, article: newArticleKey() };
    await postComment(t.app, newUser(t.tokens), where, { title: 'Councl vote', url: 'https://news.example/wrong' });
    const moderator = newStaff(t.tokens);
    const path = m(`/sites/${site}/articles/${where.article}`);

    const fixed = await request(t.app).patch(path).set(bearer(moderator)).send({ title: 'Council vote', url: 'https://news.example/council-vote' }).expect(200);
    expect(fixed.body.article).toMatchObject({ title: 'Council vote', url: 'https://news.example/council-vote' });
    const log = await request(t.app).get(m(`/log?site=${site}`)).set(bearer(moderator)).expect(200);
    expect(log.body.entries[0]).toMatchObject({
      action: 'article.update',
      details: { before: { title: 'Councl vote', url: 'https://news.example/wrong' }, after: { title: 'Council vote', url: 'https://news.example/council-vote' } },
    });

    expect((await request(t.app).patch(path).set(bearer(moderator)).send({ url: 'javascript:alert(1)' }).expect(400)).body.error.details[0].field).toBe('url');
    expect((await request(t.app).patch(path).set(bearer(moderator)).send({ url: 'https://elsewhere.example/' }).expect(400)).body.error.details[0].field).toBe('url');
    expect((await request(t.app).patch(path).set(bearer(moderator)).send({ title: '   ' }).expect(400)).body.error.details[0].field).toBe('title');
    await request(t.app).patch(path).set(bearer(newUser(t.tokens))).send({ title: 'Hijacked' }).expect(403);
    expect(await articleRow(t.db, where)).toMatchObject({ title: 'Council vote', url: 'https://news.example/council-vote' });

    await request(t.app).patch(path).set(bearer(moderator)).send({ url: null }).expect(200);
    expect(await articleRow(t.db, where)).toMatchObject({ title: 'Council vote', url: null });
  });
});
