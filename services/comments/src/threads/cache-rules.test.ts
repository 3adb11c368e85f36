import request from 'supertest';
import type { ThreadPage } from '@parley/contracts';
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
 * Every write that changes what an anonymous reader is shown makes the very next read show it,
 * although that page was cached a moment before; a write readers can't see leaves the cached page
 * as it was (same ETag). One test per kind of write.
 */
let t: TestApp;
beforeAll(async () => (t = await startTestApp()));
afterAll(() => t.close());

const place = async (settings = {}): Promise<Where> => ({ site: await newSite(t.db, { settings }), article: newArticleKey() });

/** An anonymous read, twice: the second comes from the cache, so the page is warm before the write. */
async function warm(where: Where): Promise<{ page: ThreadPage; etag: string }> {
  await request(t.app).get(threadPath(where)).expect(200);
  return read(where);
}

async function read(where: Where): Promise<{ page: ThreadPage; etag: string }> {
  const res = await request(t.app).get(threadPath(where)).expect(200);
  return { page: res.body as ThreadPage, etag: res.headers.etag as string };
}

const first = (page: ThreadPage) => page.comments[0]!;
const moderator = () => newStaff(t.tokens);

describe('the next anonymous read after a write shows it', () => {
  it('a new comment, and a reply under its parent', async () => {
    const where = await place();
    const parent = await postComment(t.app, newUser(t.tokens), where);
    await warm(where);
    const reply = await postComment(t.app, newUser(t.tokens), where, { parentId: parent.id, body: 'A reply' });
    const { page } = await read(where);
    expect(first(page)).toMatchObject({ id: parent.id, replyCount: 1, replies: [{ id: reply.id, body: 'A reply' }] });
    expect(page.article).toMatchObject({ commentCount: 2, seq: 2 });
  });

  it('an edit', async () => {
    const where = await place();
    const author = newUser(t.tokens);
    const comment = await postComment(t.app, author, where, { body: 'Before' });
    await warm(where);
    await request(t.app).patch(`/api/comments/${comment.id}`).set(bearer(author)).send({ body: 'After' }).expect(200);
    expect(first((await read(where)).page)).toMatchObject({ body: 'After', editedAt: expect.any(String) });
  });

  it('the author deleting their comment', async () => {
    const where = await place();
    const author = newUser(t.tokens);
    const comment = await postComment(t.app, author, where);
    await warm(where);
    await request(t.app).delete(`/api/comments/${comment.id}`).set(bearer(author)).expect(204);
    const { page } = await read(where);
    expect(first(page)).toMatchObject({ status: 'deleted', body: '', author: null });
    expect(page.article.commentCount).toBe(0);
  });

  it('a reaction, and taking it back', async () => {
    const where = await place();
    const comment = await postComment(t.app, newUser(t.tokens), where);
    const reader = newUser(t.tokens);
    await warm(where);
    await reactTo(t.app, reader, comment.id);
    expect(first((await read(where)).page).reactionCount).toBe(1);
    await request(t.app).delete(`/api/comments/${comment.id}/reaction`).set(bearer(reader)).expect(200);
    expect(first((await read(where)).page).reactionCount).toBe(0);
  });

  it('a moderator removing a comment, and restoring it', async () => {
    const where = await place();
    const comment = await postComment(t.app, newUser(t.tokens), where, { body: 'Borderline' });
    const mod = moderator();
    await warm(where);
    await request(t.app).post(m(`/comments/${comment.id}/remove`)).set(bearer(mod)).send({ reason: 'Rude' }).expect(200);
    expect(first((await read(where)).page)).toMatchObject({ status: 'removed', body: '' });
    await request(t.app).post(m(`/comments/${comment.id}/restore`)).set(bearer(mod)).send({}).expect(200);
    expect(first((await read(where)).page)).toMatchObject({ status: 'published', body: 'Borderline' });
  });

  it('a comment held by its reports', async () => {
    const where = await place({ reportsToPending: 1 });
    const comment = await postComment(t.app, newUser(t.tokens), where);
    await warm(where);
    await request(t.app).post(`/api/comments/${comment.id}/reports`).set(bearer(newUser(t.tokens))).send({ reason: 'spam' }).expect(201);
    const { page } = await read(where);
    expect(first(page)).toMatchObject({ id: comment.id, status: 'removed', body: '' });
    expect(page.article.commentCount).toBe(0);
  });

  it('an edit that adds a suspect word (held again)', async () => {
    const where = await place();
    const admin = newStaff(t.tokens, 'admin');
    await request(t.app).put(m(`/sites/${where.site}/word-lists`)).set(bearer(admin)).send({ banned: [], suspect: ['dodgy'] }).expect(200);
    const author = newUser(t.tokens);
    const comment = await postComment(t.app, author, where, { body: 'Fine words' });
    await warm(where);
    await request(t.app).patch(`/api/comments/${comment.id}`).set(bearer(author)).send({ body: 'Dodgy words' }).expect(200);
    expect(first((await read(where)).page)).toMatchObject({ status: 'removed', body: '' });
  });

  it('approving a held comment', async () => {
    const where = await place({ premoderation: true });
    const held = await postComment(t.app, newUser(t.tokens), where, { body: 'Held' });
    await warm(where);
    await request(t.app).post(m(`/comments/${held.id}/approve`)).set(bearer(moderator())).send({}).expect(200);
    const { page } = await read(where);
    expect(first(page)).toMatchObject({ id: held.id, status: 'published', body: 'Held' });
    expect(page.article.commentCount).toBe(1);
  });

  it('a moderator removing everything a user wrote on the site', async () => {
    const where = await place();
    const troll = newUser(t.tokens);
    await postComment(t.app, troll, where, { body: 'one' });
    await postComment(t.app, troll, where, { body: 'two' });
    const fine = await postComment(t.app, newUser(t.tokens), where, { body: 'fine' });
    await warm(where);
    await request(t.app)
      .post(m(`/sites/${where.site}/users/${troll.id}/remove-all`))
      .set(bearer(moderator()))
      .send({ reason: 'Spam run', confirm: true })
      .expect(200);
    const { page } = await read(where);
    expect(page.comments.map((comment) => [comment.body, comment.status])).toEqual([
      ['fine', 'published'],
      ['', 'removed'],
      ['', 'removed'],
    ]);
    expect(first(page).id).toBe(fine.id);
    expect(page.article.commentCount).toBe(1);
  });

  it('closing and reopening the article', async () => {
    const where = await place();
    await postComment(t.app, newUser(t.tokens), where);
    const path = m(`/sites/${where.site}/articles/${where.article}`);
    await warm(where);
    await request(t.app).patch(path).set(bearer(moderator())).send({ state: 'closed' }).expect(200);
    expect((await read(where)).page.article.state).toBe('closed');
    await request(t.app).patch(path).set(bearer(moderator())).send({ state: 'open' }).expect(200);
    expect((await read(where)).page.article.state).toBe('open');
  });

  it('the article closing itself on the first post after its deadline', async () => {
    const where = await place({ autoCloseAfterDays: 1 });
    await postComment(t.app, newUser(t.tokens), where);
    await warm(where);
    t.clock.advance(2 * 24 * 3600);
    await request(t.app).post(threadPath(where)).set(bearer(newUser(t.tokens))).send({ body: 'Too late' }).expect(422);
    expect((await read(where)).page.article.state).toBe('closed');
  });

  it('staff correcting the title or url, which records no event', async () => {
    const site = await newSite(t.db, { origins: ['https://news.example'] });
    const where = { site, article: newArticleKey() };
    await postComment(t.app, newUser(t.tokens), where, { title: 'Councl vote' });
    const before = await warm(where);
    const path = m(`/sites/${site}/articles/${where.article}`);
    await request(t.app).patch(path).set(bearer(moderator())).send({ title: 'Council vote', url: 'https://news.example/vote' }).expect(200);
    const after = await read(where);
    expect(after.page.article).toMatchObject({ title: 'Council vote', url: 'https://news.example/vote', seq: before.page.article.seq });
    expect(after.etag).not.toBe(before.etag);
  });

  it('the article coming into being with a held first post (seq still 0)', async () => {
    const where = await place({ premoderation: true });
    const before = await warm(where);
    expect(before.page.article).toMatchObject({ title: null, seq: 0 });
    await postComment(t.app, newUser(t.tokens), where, { title: 'Ferry timetable' });
    const after = await read(where);
    expect(after.page).toMatchObject({ article: { title: 'Ferry timetable', seq: 0, commentCount: 0 }, comments: [] });
    expect(after.etag).not.toBe(before.etag);
  });
});

describe('a write readers cannot see leaves the cached page as it was', () => {
  it('a held comment, a rejection, a report below the threshold, a ban', async () => {
    const where = await place({ reportsToPending: 3 });
    const published = await postComment(t.app, newUser(t.tokens), where);
    const mod = moderator();
    await request(t.app).patch(m(`/sites/${where.site}/articles/${where.article}`)).set(bearer(mod)).send({ premoderation: true }).expect(200);
    const before = await warm(where);

    const author = newUser(t.tokens);
    const held = await postComment(t.app, author, where, { body: 'Held' });
    await request(t.app).post(m(`/comments/${held.id}/reject`)).set(bearer(mod)).send({ reason: 'Off topic' }).expect(200);
    await request(t.app).post(`/api/comments/${published.id}/reports`).set(bearer(newUser(t.tokens))).send({ reason: 'spam' }).expect(201);
    await request(t.app).post(m(`/users/${author.id}/ban`)).set(bearer(mod)).send({ site: where.site, reason: 'Spam' }).expect(201);

    const after = await read(where);
    expect(after.page).toEqual(before.page);
    expect(after.etag).toBe(before.etag);
  });
});
