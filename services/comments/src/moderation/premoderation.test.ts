import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { SiteSettings } from '@parley/contracts';
import {
  articleEvents,
  articleRow,
  bearer,
  connectSocket,
  connected,
  joinArticle,
  moderationPath as m,
  newArticleKey,
  newSite,
  newStaff,
  newUser,
  postComment,
  recordEvents,
  liveFixture,
  threadPath,
  waitFor,
  type LiveNode,
  type TestApp,
  type TestSocket,
  type TestUser,
} from '../test-support';

const live = liveFixture();
let t: TestApp;
let node: LiveNode;
beforeAll(() => {
  ({ t, node } = live);
});

async function socketFor(user?: TestUser): Promise<TestSocket> {
  const socket = connectSocket(node.url, user ? { token: user.token } : {});
  live.track(socket);
  await connected(socket);
  return socket;
}

async function moderationRoom(): Promise<{ socket: TestSocket; seen: ReturnType<typeof recordEvents> }> {
  const socket = await socketFor(newStaff(t.tokens));
  expect(await socket.timeout(5000).emitWithAck('moderation:join', {})).toEqual({ ok: true });
  return { socket, seen: recordEvents(socket) };
}

const place = async (settings: SiteSettings = {}) => ({ site: await newSite(t.db, { settings }), article: newArticleKey() });
const ids = (body: { comments: { id: string }[] }) => body.comments.map((c) => c.id);

describe('premoderation', () => {
  it('holds a new comment: invisible to others and to catch-up, visible to its author, queued, then approved live', async () => {
    const where = await place({ premoderation: true });
    const author = newUser(t.tokens, 'Patient Author');
    const top = await postComment(node.app, author, where, { body: 'Top, held too.' });
    const reader = await socketFor();
    await joinArticle(reader, where);
    const readerSeen = recordEvents(reader);
    const mods = await moderationRoom();

    const res = await request(node.app).post(threadPath(where)).set(bearer(author)).send({ body: 'Held for review.' }).expect(201);
    const held = res.body.comment;
    expect(held).toMatchObject({ status: 'pending', body: 'Held for review.', author: { id: author.id } });
    await waitFor(mods.socket, () => mods.seen.length >= 1);
    expect(mods.seen[0]).toMatchObject({ type: 'moderation:queue', payload: { type: 'pending', commentId: held.id, change: 'added', site: where.site } });

    // Others: nothing in the thread, nothing counted, nothing to catch up on.
    const anonymous = await request(node.app).get(threadPath(where)).expect(200);
    expect(anonymous.body).toMatchObject({ comments: [], article: { commentCount: 0, seq: 0 } });
    const other = await request(node.app).get(threadPath(where)).set(bearer(newUser(t.tokens))).expect(200);
    expect(other.body.comments).toEqual([]);
    expect(await joinArticle(await socketFor(), { ...where, sinceSeq: 0 })).toEqual({ ok: true, seq: 0, events: [], resync: false });
    expect(await articleEvents(t.db, where)).toEqual([]);

    // The author sees both of their own, marked pending.
    const own = await request(node.app).get(threadPath(where)).set(bearer(author)).expect(200);
    expect(own.body.comments.map((c: { id: string; status: string }) => [c.id, c.status])).toEqual([
      [held.id, 'pending'],
      [top.id, 'pending'],
    ]);

    const mod = newStaff(t.tokens);
    const queue = await request(node.app).get(m(`/queue?type=pending&site=${where.site}`)).set(bearer(mod)).expect(200);
    expect(queue.body.items.map((item: { comment: { id: string } }) => item.comment.id)).toEqual([top.id, held.id]);

    await request(node.app).post(m(`/comments/${held.id}/approve`)).set(bearer(mod)).send({}).expect(200);
    await waitFor(reader, () => readerSeen.length >= 1);
    expect(readerSeen[0]).toMatchObject({ type: 'comment:created', seq: 1, payload: { comment: { id: held.id, status: 'published', body: 'Held for review.' } } });
    await waitFor(mods.socket, () => mods.seen.length >= 2);
    expect(mods.seen[1]!.payload).toMatchObject({ type: 'pending', commentId: held.id, change: 'resolved' });
    const after = await request(node.app).get(threadPath(where)).expect(200);
    expect(ids(after.body)).toEqual([held.id]);
    expect(after.body.article.commentCount).toBe(1);
  });

  it('counts an approved reply on its parent only once approved; a rejected one never shows', async () => {
    const where = await place();
    const mod = newStaff(t.tokens);
    const parent = await postComment(t.app, newUser(t.tokens), where);
    await request(t.app).patch(m(`/sites/${where.site}/articles/${where.article}`)).set(bearer(mod)).send({ premoderation: true }).expect(200);
    const author = newUser(t.tokens);
    const reply = await postComment(t.app, author, where, { parentId: parent.id, body: 'A held reply' });
    const rejected = await postComment(t.app, author, where, { parentId: parent.id, body: 'A rejected reply' });
    expect(reply.status).toBe('pending');
    let thread = await request(t.app).get(threadPath(where)).expect(200);
    expect(thread.body.comments[0]).toMatchObject({ replyCount: 0, replies: [] });

    await request(t.app).post(m(`/comments/${reply.id}/approve`)).set(bearer(mod)).send({}).expect(200);
    await request(t.app).post(m(`/comments/${rejected.id}/reject`)).set(bearer(mod)).send({ reason: 'off topic' }).expect(200);
    thread = await request(t.app).get(threadPath(where)).set(bearer(author)).expect(200);
    expect(thread.body.comments[0].replyCount).toBe(1);
    expect(ids({ comments: thread.body.comments[0].replies })).toEqual([reply.id]);
    expect((await articleRow(t.db, where))!.comment_count).toBe(2);
    // The rejection told readers nothing: only the parent's creation and the approval are events.
    expect((await articleEvents(t.db, where)).map((e) => e.change.type)).toEqual(['comment:created', 'comment:created']);
  });

  it('lets an article override the site setting, and null follow the site again', async () => {
    const site = await newSite(t.db, { settings: { premoderation: true } });
    const mod = newStaff(t.tokens);
    const where = { site, article: newArticleKey() };
    const path = m(`/sites/${site}/articles/${where.article}`);
    const off = await request(t.app).patch(path).set(bearer(mod)).send({ premoderation: false }).expect(200);
    expect(off.body.article).toMatchObject({ site, key: where.article, state: 'open', premoderation: false, commentCount: 0 });
    expect((await postComment(t.app, newUser(t.tokens), where)).status).toBe('published');
    await request(t.app).patch(path).set(bearer(mod)).send({ premoderation: null }).expect(200);
    expect((await postComment(t.app, newUser(t.tokens), where)).status).toBe('pending');
    const empty = await request(t.app).patch(path).set(bearer(mod)).send({}).expect(400);
    expect(empty.body.error.code).toBe('validation_failed');
  });
});

describe('report threshold', () => {
  it('holds a comment once it has reportsToPending open reports, and approving brings it back', async () => {
    const where = await place({ reportsToPending: 2 });
    const author = newUser(t.tokens, 'Reported Author');
    const comment = await postComment(node.app, author, where, { body: 'Controversial.' });
    const reader = await socketFor();
    await joinArticle(reader, where);
    const seen = recordEvents(reader);
    const mods = await moderationRoom();
    const report = (reason: string, note?: string) =>
      request(node.app).post(`/api/comments/${comment.id}/reports`).set(bearer(newUser(t.tokens))).send({ reason, ...(note ? { note } : {}) }).expect(201);

    await report('spam', 'Looks like an ad');
    expect((await request(node.app).get(threadPath(where)).expect(200)).body.comments[0].status).toBe('published');
    await report('abuse');
    await waitFor(reader, () => seen.length >= 1);
    expect(seen[0]).toMatchObject({ type: 'comment:removed', payload: { comment: { id: comment.id, status: 'removed', body: '', author: null } } });
    await waitFor(mods.socket, () => mods.seen.length >= 3);
    expect(mods.seen.map((e) => [e.payload.type, e.payload.change])).toEqual([
      ['reported', 'added'],
      ['reported', 'updated'],
      ['pending', 'added'],
    ]);

    const thread = await request(node.app).get(threadPath(where)).expect(200);
    expect(thread.body.comments[0]).toMatchObject({ id: comment.id, status: 'removed', body: '' });
    expect(thread.body.article.commentCount).toBe(0);
    const own = await request(node.app).get(threadPath(where)).set(bearer(author)).expect(200);
    expect(own.body.comments[0]).toMatchObject({ status: 'pending', body: 'Controversial.' });
    await request(node.app).post(`/api/comments/${comment.id}/reports`).set(bearer(newUser(t.tokens))).send({ reason: 'spam' }).expect(404);

    const mod = newStaff(t.tokens);
    const queue = await request(node.app).get(m(`/queue?type=pending&site=${where.site}`)).set(bearer(mod)).expect(200);
    expect(queue.body.items[0]).toMatchObject({ comment: { id: comment.id, body: 'Controversial.' }, reportCount: 2, reasons: { spam: 1, abuse: 1 }, notes: ['Looks like an ad'] });

    await request(node.app).post(m(`/comments/${comment.id}/approve`)).set(bearer(mod)).send({}).expect(200);
    await waitFor(reader, () => seen.length >= 2);
    expect(seen[1]).toMatchObject({ type: 'comment:updated', payload: { comment: { id: comment.id, status: 'published', body: 'Controversial.' } } });
    expect((await articleRow(t.db, where))!.comment_count).toBe(1);
    const reported = await request(node.app).get(m(`/queue?type=reported&site=${where.site}`)).set(bearer(mod)).expect(200);
    expect(reported.body.items).toEqual([]);
  });
});

describe('the moderation room', () => {
  it('refuses a moderator whose session was obtained on a publisher\'s page', async () => {
    const id = randomUUID();
    const widgetModerator = await socketFor({ id, name: 'Mod Erator', token: t.tokens.sign({ sub: id, name: 'Mod Erator', role: 'moderator', scope: 'participant' }) });
    expect(await widgetModerator.timeout(5000).emitWithAck('moderation:join', {})).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'staff_session_required' }),
    });
  });

  it('refuses readers and anonymous sockets', async () => {
    const reader = await socketFor(newUser(t.tokens));
    expect(await reader.timeout(5000).emitWithAck('moderation:join', {})).toEqual({ ok: false, error: expect.objectContaining({ code: 'forbidden' }) });
    const anonymous = await socketFor();
    expect(await anonymous.timeout(5000).emitWithAck('moderation:join', {})).toEqual({ ok: false, error: expect.objectContaining({ code: 'unauthenticated' }) });
    const seen = recordEvents(reader);
    const mods = await moderationRoom();
    const where = await place({ premoderation: true });
    await postComment(node.app, newUser(t.tokens), where);
    await waitFor(mods.socket, () => mods.seen.length >= 1);
    expect(seen).toEqual([]);
  });
});

describe('premoderating a newcomer\'s first comments', () => {
  const post = async (user: TestUser, where: { site: string; article: string }, body: string) =>
    (await request(node.app).post(threadPath(where)).set(bearer(user)).send({ body }).expect(201)).body.comment as { id: string; status: string };
  const approve = (id: string) => request(node.app).post(m(`/comments/${id}/approve`)).set(bearer(newStaff(t.tokens))).send({}).expect(200);

  // Both posting paths: the one-statement post, and the transactional one of auto-closing sites.
  it.each([
    ['one statement', { premoderateFirstComments: 2 }],
    ['transactional', { premoderateFirstComments: 2, autoCloseAfterDays: 30 }],
  ] as const)('holds a commenter until two of theirs were published on the site (%s)', async (_path, settings) => {
    const where = await place(settings);
    const newcomer = newUser(t.tokens, 'New Voice');
    const first = await post(newcomer, where, 'My first comment.');
    const second = await post(newcomer, where, 'My second.');
    expect([first.status, second.status]).toEqual(['pending', 'pending']);
    // Held comments are not counted: approving one leaves the newcomer one short.
    await approve(first.id);
    expect((await post(newcomer, where, 'Third, still held.')).status).toBe('pending');
    await approve(second.id);
    expect((await post(newcomer, where, 'Now trusted.')).status).toBe('published');

    // Trust is per site, and a site's staff are trusted from the start.
    const elsewhere = await place(settings);
    expect((await post(newcomer, elsewhere, 'New here.')).status).toBe('pending');
    expect((await post(newStaff(t.tokens), elsewhere, 'Staff note.')).status).toBe('published');
  });

  it('is refused out of range by the site admin API', async () => {
    const admin = newStaff(t.tokens, 'admin');
    const site = await newSite(t.db);
    const res = await request(t.app).patch(`/api/admin/sites/${site}`).set(bearer(admin)).send({ settings: { premoderateFirstComments: 0 } }).expect(400);
    expect(JSON.stringify(res.body)).toContain('premoderateFirstComments');
  });
});

// Last in the file: it moves this file's clock days ahead (socket sessions opened later would lapse at once).
describe('auto-close', () => {
  it('closes an article on the first post after autoCloseAfterDays since its first comment', async () => {
    const where = await place({ autoCloseAfterDays: 2 });
    const user = newUser(t.tokens);
    await postComment(node.app, user, where);
    t.clock.advance(24 * 3600);
    await postComment(node.app, user, where);
    const reader = await socketFor();
    await joinArticle(reader, where);
    const seen = recordEvents(reader);
    t.clock.advance(2 * 24 * 3600);
    const res = await request(node.app).post(threadPath(where)).set(bearer(user)).send({ body: 'Too late' }).expect(422);
    expect(res.body.error.code).toBe('article_closed');
    await waitFor(reader, () => seen.length >= 1);
    expect(seen[0]).toMatchObject({ type: 'article:updated', seq: 3, payload: { state: 'closed', commentCount: 2 } });
    const row = await articleRow(t.db, where);
    expect(row).toMatchObject({ state: 'closed', comment_count: 2 });
    await request(node.app).post(threadPath(where)).set(bearer(user)).send({ body: 'Still too late' }).expect(422);
    expect((await articleRow(t.db, where))!.last_seq).toBe(3);
  });
});
