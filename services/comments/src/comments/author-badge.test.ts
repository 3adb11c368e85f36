import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { Comment } from '@parley/contracts';
import { newArticleKey, newSite, newUser, startTestApp, threadPath, type TestApp } from '../test-support';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('the badge a publisher gives its reader', () => {
  it('is stored from the access token when they post and shown beside their name', async () => {
    const where = { site: await newSite(t.db), article: newArticleKey() };
    const subscriber = randomUUID();
    const token = t.tokens.sign({ sub: subscriber, name: 'Ada Subscriber', idp: `sso:${where.site}`, badge: 'Subscriber' });
    const posted = await request(t.app).post(threadPath(where)).set('Authorization', `Bearer ${token}`).send({ body: 'Subscribed for the crosswords.' }).expect(201);
    expect(Comment.parse(posted.body.comment).author).toEqual({ id: subscriber, name: 'Ada Subscriber', badge: 'Subscriber' });

    // A Parley account (no badge claim, as every token before sign-on) has none.
    const reader = newUser(t.tokens, 'Plain Reader');
    await request(t.app).post(threadPath(where)).set('Authorization', `Bearer ${reader.token}`).send({ body: 'No badge here.' }).expect(201);

    const thread = await request(t.app).get(threadPath(where)).query({ sort: 'oldest' }).expect(200);
    expect(thread.body.comments.map((comment: Comment) => comment.author)).toEqual([
      { id: subscriber, name: 'Ada Subscriber', badge: 'Subscriber' },
      { id: reader.id, name: 'Plain Reader' },
    ]);
  });
});

describe('staff badges', () => {
  it('marks the site\'s moderators and admins, even from a widget session, and drops a publisher badge that imitates staff', async () => {
    const site = await newSite(t.db);
    const where = { site, article: newArticleKey() };
    const post = async (claims: Record<string, unknown>) => {
      const token = t.tokens.sign({ sub: randomUUID(), name: 'Someone', ...claims });
      const posted = await request(t.app).post(threadPath(where)).set('Authorization', `Bearer ${token}`).send({ body: 'Hello.' }).expect(201);
      return Comment.parse(posted.body.comment).author?.badge;
    };
    expect(await post({ role: 'moderator', sites: [site], scope: 'participant' })).toBe('Moderator');
    expect(await post({ role: 'admin', scope: 'participant' })).toBe('Admin');
    // A moderator of another site is a reader here.
    expect(await post({ role: 'moderator', sites: ['elsewhere'] })).toBeUndefined();
    expect(await post({ idp: `sso:${site}`, badge: 'Site Moderator' })).toBeUndefined();
    expect(await post({ idp: `sso:${site}`, badge: 'Parley staff' })).toBeUndefined();
    expect(await post({ idp: `sso:${site}`, badge: 'Founding member' })).toBe('Founding member');
  });
});

