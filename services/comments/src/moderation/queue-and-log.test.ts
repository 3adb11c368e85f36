import request from 'supertest';
import {
  bearer,
  moderationPath as m,
  newArticleKey,
  newSite,
  newStaff,
  newUser,
  postComment,
  startTestApp,
  type TestApp,
} from '../test-support';

let t: TestApp;
beforeAll(async () => (t = await startTestApp()));
afterAll(async () => t.close());

const report = (id: string, reason: string, note?: string) =>
  request(t.app).post(`/api/comments/${id}/reports`).set(bearer(newUser(t.tokens))).send({ reason, ...(note ? { note } : {}) }).expect(201);

describe('GET /api/moderation/queue?type=reported', () => {
  it('lists each reported comment once, oldest report first, with its article, parent, reports and author record', async () => {
    const site = await newSite(t.db);
    const where = { site, article: newArticleKey() };
    const author = newUser(t.tokens, 'Frequent Flyer');
    const mod = newStaff(t.tokens);
    const parent = await postComment(t.app, newUser(t.tokens, 'Parent'), where, { body: 'Parent text', title: 'Budget vote', url: 'https://news.example/b' });
    const first = await postComment(t.app, author, where, { body: 'First offence', parentId: parent.id });
    const second = await postComment(t.app, author, where, { body: 'Second offence' });
    const earlier = await postComment(t.app, author, where, { body: 'Removed earlier' });
    await request(t.app).post(m(`/comments/${earlier.id}/remove`)).set(bearer(mod)).send({ reason: 'x' }).expect(200);
    await report(first.id, 'spam', 'An ad');
    await report(second.id, 'abuse');
    await report(first.id, 'spam');
    await report(first.id, 'abuse', 'And rude');
    await request(t.app).post(m(`/users/${author.id}/ban`)).set(bearer(mod)).send({ site, reason: 'enough' }).expect(201);

    const res = await request(t.app).get(m(`/queue?type=reported&site=${site}`)).set(bearer(mod)).expect(200);
    expect(res.body.nextCursor).toBeNull();
    expect(res.body.items.map((item: { comment: { id: string } }) => item.comment.id)).toEqual([first.id, second.id]);
    expect(res.body.items[0]).toEqual({
      comment: expect.objectContaining({ id: first.id, body: 'First offence', status: 'published', author: { id: author.id, name: 'Frequent Flyer' } }),
      article: { site, key: where.article, title: 'Budget vote', url: 'https://news.example/b' },
      parent: expect.objectContaining({ id: parent.id, body: 'Parent text' }),
      author: { id: author.id, name: 'Frequent Flyer', recentCount: 3, removedCount: 1, banned: true },
      reportCount: 3,
      reasons: { spam: 2, abuse: 1 },
      notes: ['An ad', 'And rude'],
      firstReportedAt: expect.any(String),
    });
    expect(res.body.items[1]).toMatchObject({ parent: null, reportCount: 1, reasons: { abuse: 1 }, notes: [] });
  });

  it('pages with keyset cursors, and refuses bad input', async () => {
    const site = await newSite(t.db);
    const where = { site, article: newArticleKey() };
    const mod = newStaff(t.tokens);
    const comments = [];
    for (let i = 0; i < 5; i++) comments.push(await postComment(t.app, newUser(t.tokens), where, { body: `c${i}` }));
    for (const comment of comments) await report(comment.id, 'spam');
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/queue?type=reported&site=${site}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await request(t.app).get(m(query)).set(bearer(mod)).expect(200);
      seen.push(...page.body.items.map((item: { comment: { id: string } }) => item.comment.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(comments.map((c) => c.id));

    const bad = await request(t.app).get(m('/queue?type=everything&limit=0')).set(bearer(mod)).expect(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['limit', 'type']);
    const pendingCursor = await request(t.app).get(m(`/queue?type=pending&site=${site}`)).set(bearer(mod)).expect(200);
    expect(pendingCursor.body).toEqual({ items: [], nextCursor: null, total: 0 });
    const first = await request(t.app).get(m(`/queue?type=reported&site=${site}&limit=1`)).set(bearer(mod)).expect(200);
    const replayed = await request(t.app).get(m(`/queue?type=pending&cursor=${first.body.nextCursor}`)).set(bearer(mod)).expect(400);
    expect(replayed.body.error.code).toBe('invalid_cursor');
  });
});

describe('GET /api/moderation/log', () => {
  it('lists who did what to which target and why, newest first, in keyset pages', async () => {
    const site = await newSite(t.db);
    const where = { site, article: newArticleKey() };
    const mod = newStaff(t.tokens, 'moderator', 'Mia');
    const admin = newStaff(t.tokens, 'admin', 'Ada');
    const comment = await postComment(t.app, newUser(t.tokens), where);
    const troll = newUser(t.tokens);
    await request(t.app).post(m(`/comments/${comment.id}/remove`)).set(bearer(mod)).send({ reason: 'Insult' }).expect(200);
    await request(t.app).post(m(`/comments/${comment.id}/restore`)).set(bearer(admin)).send({ reason: 'On appeal' }).expect(200);
    await request(t.app).post(m(`/users/${troll.id}/ban`)).set(bearer(mod)).send({ site, reason: 'Trolling' }).expect(201);
    await request(t.app).delete(m(`/users/${troll.id}/ban?site=${site}`)).set(bearer(admin)).expect(204);
    await request(t.app).patch(m(`/sites/${site}/articles/${where.article}`)).set(bearer(mod)).send({ state: 'closed' }).expect(200);

    const all = await request(t.app).get(m(`/log?site=${site}`)).set(bearer(mod)).expect(200);
    expect(all.body.entries.map((a: { action: string; moderator: { name: string }; targetType: string; targetId: string; reason: string | null }) => [
      a.action,
      a.moderator.name,
      a.targetType,
      a.targetId,
      a.reason,
    ])).toEqual([
      ['article.update', 'Mia', 'article', where.article, null],
      ['user.unban', 'Ada', 'user', troll.id, null],
      ['user.ban', 'Mia', 'user', troll.id, 'Trolling'],
      ['comment.restore', 'Ada', 'comment', comment.id, 'On appeal'],
      ['comment.remove', 'Mia', 'comment', comment.id, 'Insult'],
    ]);
    expect(all.body.entries[0]).toMatchObject({ site, details: { before: { state: 'open' }, after: { state: 'closed' } } });
    expect(all.body.entries[4].details).toMatchObject({ from: 'published', to: 'removed', article: where.article });

    const first = await request(t.app).get(m(`/log?site=${site}&limit=3`)).set(bearer(mod)).expect(200);
    const rest = await request(t.app).get(m(`/log?site=${site}&limit=3&cursor=${first.body.nextCursor}`)).set(bearer(mod)).expect(200);
    expect([...first.body.entries, ...rest.body.entries]).toEqual(all.body.entries);
    expect(rest.body.nextCursor).toBeNull();
  });
});

describe('GET /api/moderation/users/:userId/comments', () => {
  it("shows an author's comments newest first, as written, whatever their status, per site", async () => {
    const site = await newSite(t.db);
    const where = { site, article: newArticleKey() };
    const author = newUser(t.tokens);
    const mod = newStaff(t.tokens);
    const a = await postComment(t.app, author, where, { body: 'one' });
    const b = await postComment(t.app, author, where, { body: 'two' });
    await postComment(t.app, author, { site: await newSite(t.db), article: newArticleKey() }, { body: 'elsewhere' });
    await request(t.app).delete(`/api/comments/${b.id}`).set(bearer(author)).expect(204);
    const page = await request(t.app).get(m(`/users/${author.id}/comments?site=${site}&limit=1`)).set(bearer(mod)).expect(200);
    expect(page.body.items).toEqual([{ comment: expect.objectContaining({ id: b.id, status: 'deleted', body: 'two' }), article: expect.objectContaining({ site, key: where.article }) }]);
    const next = await request(t.app).get(m(`/users/${author.id}/comments?site=${site}&limit=1&cursor=${page.body.nextCursor}`)).set(bearer(mod)).expect(200);
    expect(next.body.items.map((item: { comment: { id: string } }) => item.comment.id)).toEqual([a.id]);
    expect(next.body.nextCursor).toBeNull();
    const everywhere = await request(t.app).get(m(`/users/${author.id}/comments`)).set(bearer(mod)).expect(200);
    expect(everywhere.body.items).toHaveLength(3);
  });
});
