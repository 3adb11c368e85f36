import request from 'supertest';
import { bearer, newArticleKey, newSite, newStaff, newUser, postComment, startTestApp, type TestApp } from '../test-support';

/** Which committed comments tell auth "someone replied to you" (the hand-over itself: tests/e2e/reply-mail.test.ts). */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({}, { ownDatabase: true });
});
afterAll(() => t.close());

const noticesFor = (replyId: string) => t.replyNotices.filter((notice) => notice.replyId === replyId);

describe('reply notices', () => {
  it('tell the parent’s author who replied, where, and what', async () => {
    const where = { site: await newSite(t.db), article: newArticleKey() };
    const ann = newUser(t.tokens, 'Ann');
    const bob = newUser(t.tokens, 'Bob');
    const parent = await postComment(t.app, ann, where, { title: 'Bridges reopen', url: 'https://news.example/bridges' });
    const reply = await postComment(t.app, bob, where, { parentId: parent.id, body: 'I *disagree*, politely.' });
    await t.notificationsIdle();
    expect(noticesFor(reply.id)).toEqual([
      { recipientId: ann.id, replyId: reply.id, replierName: 'Bob', articleTitle: 'Bridges reopen', articleUrl: 'https://news.example/bridges', excerpt: 'I *disagree*, politely.' },
    ]);
  });

  it('are not sent for top-level comments, one’s own replies, or replies still held', async () => {
    const site = await newSite(t.db, { settings: { premoderation: true } });
    const open = { site: await newSite(t.db), article: newArticleKey() };
    const ann = newUser(t.tokens, 'Ann');
    const bob = newUser(t.tokens, 'Bob');
    const top = await postComment(t.app, ann, open);
    const own = await postComment(t.app, ann, open, { parentId: top.id });
    // A premoderated discussion: the reply is held, and noticed only once a moderator approves it.
    const held = { site, article: newArticleKey() };
    const moderator = newStaff(t.tokens, 'admin');
    const first = await postComment(t.app, ann, held);
    await request(t.app).post(`/api/moderation/comments/${first.id}/approve`).set(bearer(moderator)).send({}).expect(200);
    const pending = await postComment(t.app, bob, held, { parentId: first.id });
    await t.notificationsIdle();
    expect([...noticesFor(top.id), ...noticesFor(own.id), ...noticesFor(pending.id)]).toEqual([]);
    await request(t.app).post(`/api/moderation/comments/${pending.id}/approve`).set(bearer(moderator)).send({}).expect(200);
    await t.notificationsIdle();
    expect(noticesFor(pending.id)).toEqual([expect.objectContaining({ recipientId: ann.id, replierName: 'Bob' })]);
  });

  it('quote at most 300 characters of the reply', async () => {
    const where = { site: await newSite(t.db), article: newArticleKey() };
    const parent = await postComment(t.app, newUser(t.tokens), where);
    const reply = await postComment(t.app, newUser(t.tokens), where, { parentId: parent.id, body: 'word '.repeat(200) });
    await t.notificationsIdle();
    const [notice] = noticesFor(reply.id);
    expect([...notice!.excerpt].length).toBeLessThanOrEqual(300);
    expect(notice!.excerpt.endsWith('…')).toBe(true);
    // No title given: the article's key stands in.
    expect(notice!.articleTitle).toBe(where.article);
  });
});
