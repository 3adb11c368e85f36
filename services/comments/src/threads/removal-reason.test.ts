import request from 'supertest';
import { CommentContext, RepliesPage, ThreadPage, ThreadViewer } from '@parley/contracts';
import {
  articleEvents,
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
  type TestUser,
  type Where,
} from '../test-support';

/**
 * Issue 13 item 5: the author of a removed comment sees the moderator's reason on their own
 * tombstone; nobody else does, and the shared (cached) page and the live events never carry it.
 */
let t: TestApp;
beforeAll(async () => (t = await startTestApp()));
afterAll(() => t.close());

const viewerPath = ({ site, article }: Where) => `/api/sites/${site}/articles/${article}/viewer`;
const place = async (): Promise<Where> => ({ site: await newSite(t.db, { settings: { removalReasons: ['Spam', 'Personal attack'] } }), article: newArticleKey() });

async function removeWith(moderator: TestUser, id: string, reason: string): Promise<void> {
  await request(t.app).post(m(`/comments/${id}/remove`)).set(bearer(moderator)).send({ reason }).expect(200);
}

async function viewerOf(where: Where, user: TestUser): Promise<ThreadViewer> {
  return ThreadViewer.parse((await request(t.app).get(viewerPath(where)).set(bearer(user)).expect(200)).body);
}

describe('the removal reason on the author\'s tombstone', () => {
  it('is shown to the author on the viewer route, their thread page, the permalink and replies', async () => {
    const where = await place();
    const author = newUser(t.tokens, 'Bob');
    const moderator = newStaff(t.tokens);
    const top = await postComment(t.app, author, where, { body: 'buy pills' });
    const parent = await postComment(t.app, newUser(t.tokens), where, { body: 'a question' });
    const reply = await postComment(t.app, author, where, { body: 'you fool', parentId: parent.id });
    const kept = await postComment(t.app, author, where, { body: 'a fair point' });
    await removeWith(moderator, top.id, 'Spam');
    await removeWith(moderator, reply.id, 'Personal attack: please keep it civil');

    const viewer = await viewerOf(where, author);
    expect(new Map(viewer.removed!.map((r) => [r.id, r.reason]))).toEqual(
      new Map([
        [top.id, 'Spam'],
        [reply.id, 'Personal attack: please keep it civil'],
      ]),
    );
    // Even asked for another page (limit 1), the list covers the article: the widget asks it for one comment.
    const narrow = ThreadViewer.parse((await request(t.app).get(viewerPath(where)).query({ limit: 1 }).set(bearer(author)).expect(200)).body);
    expect(narrow.removed!.map((r) => r.id).sort()).toEqual([top.id, reply.id].sort());

    const page = ThreadPage.parse((await request(t.app).get(threadPath(where)).set(bearer(author)).expect(200)).body);
    const byId = new Map(page.comments.flatMap((c) => [c, ...(c.replies ?? [])]).map((c) => [c.id, c]));
    expect(byId.get(top.id)).toMatchObject({ status: 'removed', author: null, body: '', html: '', removalReason: 'Spam' });
    expect(byId.get(reply.id)).toMatchObject({ status: 'removed', body: '', removalReason: 'Personal attack: please keep it civil' });
    expect(byId.get(kept.id)!.removalReason).toBeUndefined();
    expect(byId.get(parent.id)!.removalReason).toBeUndefined();

    const context = CommentContext.parse((await request(t.app).get(`/api/comments/${reply.id}`).set(bearer(author)).expect(200)).body);
    expect(context.comment).toMatchObject({ status: 'removed', body: '', removalReason: 'Personal attack: please keep it civil' });
    const replies = RepliesPage.parse((await request(t.app).get(`/api/comments/${parent.id}/replies`).set(bearer(author)).expect(200)).body);
    expect(replies.comments[0]).toMatchObject({ id: reply.id, status: 'removed', removalReason: 'Personal attack: please keep it civil' });
  });

  it('is not shown to another reader, to an anonymous reader, on the shared cached page, nor in the live event', async () => {
    const where = await place();
    const author = newUser(t.tokens);
    const other = newUser(t.tokens);
    const comment = await postComment(t.app, author, where, { body: 'buy pills' });
    // The shared page is built and cached before the removal, and rebuilt after it.
    await request(t.app).get(threadPath(where)).expect(200);
    await removeWith(newStaff(t.tokens), comment.id, 'Spam');

    const anonymous = await request(t.app).get(threadPath(where)).expect(200);
    const again = await request(t.app).get(threadPath(where)).expect(200);
    for (const res of [anonymous, again]) {
      expect(res.text).not.toContain('Spam');
      expect(res.text).not.toContain('removalReason');
      expect(ThreadPage.parse(res.body).comments[0]).toMatchObject({ id: comment.id, status: 'removed' });
    }

    expect((await viewerOf(where, other)).removed).toEqual([]);
    const theirs = await request(t.app).get(threadPath(where)).set(bearer(other)).expect(200);
    expect(theirs.text).not.toContain('Spam');
    expect((await request(t.app).get(`/api/comments/${comment.id}`).set(bearer(other)).expect(200)).text).not.toContain('Spam');
    expect((await request(t.app).get(`/api/comments/${comment.id}`).expect(200)).text).not.toContain('Spam');

    const removedEvent = (await articleEvents(t.db, where)).find((event) => event.change.type === 'comment:removed');
    expect(removedEvent).toBeDefined();
    expect(JSON.stringify(removedEvent)).not.toContain('Spam');
  });

  it('goes with a restore and an undo, and a removal of all of a user\'s comments carries its reason', async () => {
    const where = await place();
    const author = newUser(t.tokens);
    const moderator = newStaff(t.tokens);
    const first = await postComment(t.app, author, where, { body: 'one' });
    const second = await postComment(t.app, author, where, { body: 'two' });

    await removeWith(moderator, first.id, 'Spam');
    await request(t.app).post(m(`/comments/${first.id}/restore`)).set(bearer(moderator)).send({}).expect(200);
    expect((await viewerOf(where, author)).removed).toEqual([]);
    const restored = CommentContext.parse((await request(t.app).get(`/api/comments/${first.id}`).set(bearer(author)).expect(200)).body);
    expect(restored.comment).toMatchObject({ status: 'published', body: 'one' });
    expect(restored.comment.removalReason).toBeUndefined();

    await removeWith(moderator, second.id, 'Spam');
    await request(t.app).post(m(`/comments/${second.id}/undo`)).set(bearer(moderator)).send({}).expect(200);
    expect((await viewerOf(where, author)).removed).toEqual([]);

    await request(t.app).post(m(`/sites/${where.site}/users/${author.id}/remove-all`)).set(bearer(moderator)).send({ reason: 'Ban evasion', confirm: true }).expect(200);
    expect(new Set((await viewerOf(where, author)).removed!.map((r) => `${r.id} ${r.reason}`))).toEqual(
      new Set([`${first.id} Ban evasion`, `${second.id} Ban evasion`]),
    );
  });

  it('is not given for the author\'s own deletion', async () => {
    const where = await place();
    const author = newUser(t.tokens);
    const deleted = await postComment(t.app, author, where, { body: 'changed my mind' });
    await request(t.app).delete(`/api/comments/${deleted.id}`).set(bearer(author)).expect(204);
    const viewer = await viewerOf(where, author);
    expect(viewer.removed).toEqual([]);
    const context = CommentContext.parse((await request(t.app).get(`/api/comments/${deleted.id}`).set(bearer(author)).expect(200)).body);
    expect(context.comment.status).toBe('deleted');
    expect(context.comment.removalReason).toBeUndefined();
  });

  it('requires a session on the viewer route', async () => {
    const res = await request(t.app).get(viewerPath(await place())).expect(401);
    expect(res.body.error.code).toBe('unauthenticated');
  });
});
