import request from 'supertest';
import { bearer, newArticleKey, newSite, newUser, postComment, reactTo, startTestApp, threadPath, type TestApp } from '../test-support';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const place = async () => ({ site: await newSite(t.db), article: newArticleKey() });

describe('GET /api/me/data', () => {
  it('requires authentication', async () => {
    expect((await request(t.app).get('/api/me/data')).status).toBe(401);
  });

  it('lists my comments, reactions and reports, and nobody else’s', async () => {
    const where = await place();
    const me = newUser(t.tokens);
    const other = newUser(t.tokens);
    const mine = await postComment(t.app, me, where, { body: 'Mine.', title: 'A title' });
    const theirs = await postComment(t.app, other, where, { body: 'Theirs.' });
    await reactTo(t.app, me, theirs.id);
    await request(t.app).post(`/api/comments/${theirs.id}/reports`).set(bearer(me)).send({ reason: 'spam' }).expect(201);
    const res = await request(t.app).get('/api/me/data').set(bearer(me)).expect(200);
    expect(res.body).toEqual({
      comments: [expect.objectContaining({ id: mine.id, site: where.site, article: where.article, articleTitle: 'A title', body: 'Mine.', status: 'published' })],
      reactions: [{ commentId: theirs.id, createdAt: expect.any(String) }],
      reports: [expect.objectContaining({ commentId: theirs.id, reason: 'spam', resolved: false })],
    });
  });
});

describe('POST /api/me/erase', () => {
  it('requires authentication and a mode', async () => {
    expect((await request(t.app).post('/api/me/erase').send({ comments: 'remove' })).status).toBe(401);
    const res = await request(t.app).post('/api/me/erase').set(bearer(newUser(t.tokens))).send({ comments: 'shred' });
    expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 400, code: 'validation_failed' });
  });

  it('anonymize: the comments stay, signed "Deleted account"', async () => {
    const where = await place();
    const me = newUser(t.tokens, 'Soon Gone');
    const comment = await postComment(t.app, me, where, { body: 'Kept words.' });
    await request(t.app).post('/api/me/erase').set(bearer(me)).send({ comments: 'anonymize' }).expect(200, { comments: 1 });
    const thread = await request(t.app).get(threadPath(where)).expect(200);
    expect(thread.body.comments[0]).toEqual(expect.objectContaining({ id: comment.id, body: 'Kept words.', author: expect.objectContaining({ name: 'Deleted account' }) }));
    await request(t.app).post('/api/me/erase').set(bearer(me)).send({ comments: 'anonymize' }).expect(200, { comments: 0 });
  });

  it('remove: tombstones with their text erased, replies keep their place, reactions go', async () => {
    const where = await place();
    const me = newUser(t.tokens);
    const other = newUser(t.tokens);
    const mine = await postComment(t.app, me, where, { body: 'Erase me.' });
    const reply = await postComment(t.app, other, where, { parentId: mine.id, body: 'A reply.' });
    await reactTo(t.app, me, reply.id);
    await request(t.app).post('/api/me/erase').set(bearer(me)).send({ comments: 'remove' }).expect(200, { comments: 1 });
    const row = await t.db.selectFrom('comments').selectAll().where('id', '=', mine.id).executeTakeFirstOrThrow();
    expect(row).toEqual(expect.objectContaining({ status: 'deleted', body: '', html: '', author_name: 'Deleted account' }));
    const thread = await request(t.app).get(threadPath(where)).expect(200);
    expect(thread.body.comments[0].replies[0]).toEqual(expect.objectContaining({ id: reply.id, reactionCount: 0 }));
    expect((await request(t.app).get('/api/me/data').set(bearer(me)).expect(200)).body.reactions).toEqual([]);
  });
});

describe('POST /api/me/name', () => {
  it('requires authentication', async () => {
    expect((await request(t.app).post('/api/me/name')).status).toBe(401);
  });

  it('signs my earlier comments with the name my token now carries, on every article, and nobody else’s', async () => {
    const [first, second] = [await place(), await place()];
    const before = newUser(t.tokens, 'Old Name');
    const other = newUser(t.tokens, 'Someone Else');
    const mine = await postComment(t.app, before, first, { body: 'Mine, first.' });
    const reply = await postComment(t.app, other, first, { parentId: mine.id, body: 'Theirs.' });
    const elsewhere = await postComment(t.app, before, second, { body: 'Mine, elsewhere.' });
    // The shared page is cached per article version: read it once so a stale copy would show.
    expect((await request(t.app).get(threadPath(first)).expect(200)).body.comments[0].author.name).toBe('Old Name');
    const seqBefore = (await t.db.selectFrom('articles').select('last_seq').where('key', '=', first.article).executeTakeFirstOrThrow()).last_seq;

    // After PATCH /auth/me and a refresh, the reader's token carries the new name.
    const after = { ...before, name: 'New Name', token: t.tokens.sign({ sub: before.id, name: 'New Name' }) };
    await request(t.app).post('/api/me/name').set(bearer(after)).expect(200, { comments: 2 });

    const thread = (await request(t.app).get(threadPath(first)).expect(200)).body;
    expect(thread.comments[0].author.name).toBe('New Name');
    expect(thread.comments[0].replies[0]).toEqual(expect.objectContaining({ id: reply.id, author: expect.objectContaining({ name: 'Someone Else' }) }));
    expect((await request(t.app).get(threadPath(second)).expect(200)).body.comments[0]).toEqual(expect.objectContaining({ id: elsewhere.id, author: expect.objectContaining({ name: 'New Name' }) }));
    // Live readers hear it like an edit, and a reader catching up gets it from the log.
    const events = await t.db
      .selectFrom('article_events')
      .innerJoin('articles', 'articles.id', 'article_events.article_id')
      .select(['article_events.type', 'article_events.seq'])
      .where('articles.key', '=', first.article)
      .where('article_events.seq', '>', seqBefore)
      .execute();
    expect(events.map((event) => event.type)).toEqual(['comment:updated']);
    // Asking again changes nothing.
    await request(t.app).post('/api/me/name').set(bearer(after)).expect(200, { comments: 0 });
  });

  it('is limited per reader (429)', async () => {
    const limited = await startTestApp({ COMMENT_RATE_LIMIT: '2' });
    try {
      const me = newUser(limited.tokens);
      await request(limited.app).post('/api/me/name').set(bearer(me)).expect(200);
      await request(limited.app).post('/api/me/name').set(bearer(me)).expect(200);
      const refused = await request(limited.app).post('/api/me/name').set(bearer(me));
      expect({ status: refused.status, code: refused.body.error.code }).toEqual({ status: 429, code: 'rate_limited' });
    } finally {
      await limited.close();
    }
  });
});
