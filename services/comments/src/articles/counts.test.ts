import request from 'supertest';
import { bearer, newArticleKey, newSite, newUser, postComment, startTestApp, type TestApp } from '../test-support';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('GET /api/sites/:site/counts', () => {
  it('counts visible comments of several articles at once; unknown articles count 0', async () => {
    const site = await newSite(t.db);
    const [a, b, c] = [newArticleKey(), newArticleKey(), newArticleKey()];
    const user = newUser(t.tokens);
    const first = await postComment(t.app, user, { site, article: a });
    await postComment(t.app, user, { site, article: a }, { parentId: first.id });
    const doomed = await postComment(t.app, user, { site, article: a });
    await request(t.app).delete(`/api/comments/${doomed.id}`).set(bearer(user)).expect(204);
    await postComment(t.app, user, { site, article: b });
    // The same key on another site is another article.
    await postComment(t.app, user, { site: await newSite(t.db), article: c });

    const res = await request(t.app).get(`/api/sites/${site}/counts`).query({ articles: `${a},${b}, ${c},${a}` });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ counts: { [a]: 2, [b]: 1, [c]: 0 } });
  });

  it('answers 404 site_not_found for an unknown site', async () => {
    const res = await request(t.app).get('/api/sites/no-such-site/counts').query({ articles: 'a' });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'site_not_found', requestId: expect.any(String) });
  });

  it('validates the article list', async () => {
    const site = await newSite(t.db);
    const tooMany = Array.from({ length: 101 }, (_, i) => `a${i}`).join(',');
    for (const query of [{}, { articles: '' }, { articles: ',,' }, { articles: 'bad key!' }, { articles: tooMany }]) {
      const res = await request(t.app).get(`/api/sites/${site}/counts`).query(query);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details[0].field).toMatch(/^articles/);
    }
    const unknown = await request(t.app).get(`/api/sites/${site}/counts`).query({ articles: 'a', extra: '1' });
    expect(unknown.status).toBe(400);
  });
});
