import request from 'supertest';
import { bearer, moderationPath as m, newArticleKey, newSite, newSiteModerator, newStaff, newUser, postComment, startTestApp, type TestApp, type TestUser } from '../test-support';

// The console's lists: the queues page on with their total; the removed and approved views; search; site and article filters.
let t: TestApp;
beforeAll(async () => (t = await startTestApp()));
afterAll(async () => t.close());

const ids = (body: { items: { comment: { id: string } }[] }) => body.items.map((item) => item.comment.id);
const get = (who: TestUser, query: string) => request(t.app).get(m(`/queue?${query}`)).set(bearer(who));

async function report(id: string) {
  await request(t.app).post(`/api/comments/${id}/reports`).set(bearer(newUser(t.tokens))).send({ reason: 'spam' }).expect(201);
}

describe('console views', () => {
  it('page the reported queue by keyset with the total, and filter by article and by text or author', async () => {
    const site = await newSite(t.db);
    const [a, b] = [newArticleKey(), newArticleKey()];
    const ann = newUser(t.tokens, 'Ann Author');
    const bob = newUser(t.tokens, 'Bob 100%');
    const c1 = await postComment(t.app, ann, { site, article: a }, { body: 'Buy cheap watches now.' });
    const c2 = await postComment(t.app, bob, { site, article: a }, { body: 'I disagree with the council.' });
    const c3 = await postComment(t.app, ann, { site, article: b }, { body: 'Cheap WATCHES again.' });
    for (const c of [c1, c2, c3]) await report(c.id);
    const mod = newStaff(t.tokens);

    const first = await get(mod, `type=reported&site=${site}&limit=2`).expect(200);
    expect(first.body.total).toBe(3);
    expect(ids(first.body)).toEqual([c1.id, c2.id]);
    const second = await get(mod, `type=reported&site=${site}&limit=2&cursor=${first.body.nextCursor}`).expect(200);
    expect(ids(second.body)).toEqual([c3.id]);
    expect(second.body).toMatchObject({ nextCursor: null, total: 3 });

    expect(ids((await get(mod, `type=reported&site=${site}&article=${a}`).expect(200)).body)).toEqual([c1.id, c2.id]);
    const watches = await get(mod, `type=reported&site=${site}&q=watches`).expect(200);
    expect(watches.body).toMatchObject({ total: 2 });
    expect(ids(watches.body)).toEqual([c1.id, c3.id]);
    expect(ids((await get(mod, `type=reported&site=${site}&q=${encodeURIComponent('bob 100%')}`).expect(200)).body)).toEqual([c2.id]);
    // % and _ are text, not wildcards.
    expect((await get(mod, `type=reported&site=${site}&q=${encodeURIComponent('n%w')}`).expect(200)).body.total).toBe(0);
  });

  it('show removed comments newest first (for Restore) and approved ones', async () => {
    const site = await newSite(t.db);
    const article = newArticleKey();
    const mod = newStaff(t.tokens);
    const author = newUser(t.tokens, 'Writer');
    const old = await postComment(t.app, author, { site, article }, { body: 'Removed first.' });
    const recent = await postComment(t.app, author, { site, article }, { body: 'Removed second.' });
    const kept = await postComment(t.app, author, { site, article }, { body: 'Reported but fine.' });
    for (const c of [old, recent]) await request(t.app).post(m(`/comments/${c.id}/remove`)).set(bearer(mod)).send({ reason: 'Spam' }).expect(200);
    await report(kept.id);
    await request(t.app).post(m(`/comments/${kept.id}/approve`)).set(bearer(mod)).send({}).expect(409); // a published comment is kept by dismissing
    const held = { site: await newSite(t.db, { settings: { premoderation: true } }), article: newArticleKey() };
    const pending = await postComment(t.app, author, held, { body: 'Held, then approved.' });
    await request(t.app).post(m(`/comments/${pending.id}/approve`)).set(bearer(mod)).send({}).expect(200);

    const removed = await get(mod, `type=removed&site=${site}`).expect(200);
    expect(ids(removed.body)).toEqual([recent.id, old.id]);
    expect(removed.body.items[0].comment).toMatchObject({ status: 'removed', body: 'Removed second.' });
    const page = await get(mod, `type=removed&site=${site}&limit=1`).expect(200);
    expect(ids((await get(mod, `type=removed&site=${site}&limit=1&cursor=${page.body.nextCursor}`).expect(200)).body)).toEqual([old.id]);
    expect(ids((await get(mod, `type=approved&site=${held.site}`).expect(200)).body)).toEqual([pending.id]);
    expect((await get(mod, `type=approved&site=${site}`).expect(200)).body.total).toBe(0);

    // The log names who and where, for the console's sentences.
    const log = await request(t.app).get(m(`/log?site=${site}`)).set(bearer(mod)).expect(200);
    expect(log.body.entries[0]).toMatchObject({
      action: 'comment.remove',
      subject: { userId: author.id, userName: 'Writer', article: { site, key: article } },
    });
  });

  it('refuse bad filters, a cursor of another view, sites the moderator does not moderate, and readers', async () => {
    const site = await newSite(t.db);
    const mod = newStaff(t.tokens);
    const c = await postComment(t.app, newUser(t.tokens), { site, article: newArticleKey() }, { body: 'One.' });
    await request(t.app).post(m(`/comments/${c.id}/remove`)).set(bearer(mod)).send({ reason: 'x' }).expect(200);
    await postComment(t.app, newUser(t.tokens), { site, article: newArticleKey() }, { body: 'Two.' });
    await request(t.app).post(m(`/comments/${(await postComment(t.app, newUser(t.tokens), { site, article: newArticleKey() }, { body: 'Three.' })).id}/remove`)).set(bearer(mod)).send({ reason: 'x' }).expect(200);
    const cursor = (await get(mod, `type=removed&site=${site}&limit=1`).expect(200)).body.nextCursor;
    expect((await get(mod, `type=reported&site=${site}&cursor=${cursor}`).expect(400)).body.error.code).toBe('invalid_cursor');
    const noSite = await get(mod, 'type=removed&article=x').expect(400);
    expect(noSite.body.error.details).toEqual([expect.objectContaining({ field: 'article' })]);
    expect((await get(mod, 'type=deleted').expect(400)).body.error.code).toBe('validation_failed');
    expect((await get(mod, `type=removed&q=${'x'.repeat(101)}`).expect(400)).body.error.code).toBe('validation_failed');
    await get(newSiteModerator(t.tokens, ['elsewhere']), `type=removed&site=${site}`).expect(403);
    await get(newUser(t.tokens), 'type=removed').expect(403);
    await request(t.app).get(m('/queue?type=removed')).expect(401);
  });
});
