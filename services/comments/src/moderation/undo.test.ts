import { randomUUID } from 'node:crypto';
import request from 'supertest';
import {
  bearer,
  moderationPath as m,
  newArticleKey,
  newSite,
  newSiteModerator,
  newStaff,
  newUser,
  postComment,
  startTestApp,
  threadPath,
  type TestApp,
  type TestUser,
} from '../test-support';

// "Removed · Undo": a moderator takes back their own last decision on a comment within 10 s.
let t: TestApp;
beforeAll(async () => (t = await startTestApp()));
afterAll(async () => t.close());

const place = async () => ({ site: await newSite(t.db), article: newArticleKey() });

async function reported(where: { site: string; article: string }, reports = 2) {
  const comment = await postComment(t.app, newUser(t.tokens, 'Author'), where, { body: 'A sharp remark.' });
  for (let i = 0; i < reports; i++) {
    await request(t.app).post(`/api/comments/${comment.id}/reports`).set(bearer(newUser(t.tokens))).send({ reason: 'abuse' }).expect(201);
  }
  return comment;
}

const queue = async (mod: TestUser, type: 'reported' | 'pending', site: string) =>
  (await request(t.app).get(m(`/queue?type=${type}&site=${site}`)).set(bearer(mod)).expect(200)).body.items.map(
    (item: { comment: { id: string }; reportCount: number }) => [item.comment.id, item.reportCount],
  );

describe('undo', () => {
  it('takes back a removal: the comment is published again and back in the reported queue with its reports', async () => {
    const where = await place();
    const comment = await reported(where);
    const mod = newStaff(t.tokens, 'moderator', 'Mia');
    await request(t.app).post(m(`/comments/${comment.id}/remove`)).set(bearer(mod)).send({ reason: 'Spam' }).expect(200);
    expect(await queue(mod, 'reported', where.site)).toEqual([]);

    const undone = await request(t.app).post(m(`/comments/${comment.id}/undo`)).set(bearer(mod)).send({}).expect(200);
    expect(undone.body.comment).toMatchObject({ id: comment.id, status: 'published' });
    expect(await queue(mod, 'reported', where.site)).toEqual([[comment.id, 2]]);
    const thread = await request(t.app).get(threadPath(where)).expect(200);
    expect(thread.body.comments[0]).toMatchObject({ id: comment.id, status: 'published', body: 'A sharp remark.' });
    expect(thread.body.article.commentCount).toBe(1);

    const log = await request(t.app).get(m(`/log?site=${where.site}`)).set(bearer(mod)).expect(200);
    expect(log.body.entries[0]).toMatchObject({
      action: 'comment.undo',
      targetId: comment.id,
      details: expect.objectContaining({ undid: 'comment.remove', from: 'removed', to: 'published', reopenedReports: 2 }),
    });
    // An undo is not itself undone.
    const again = await request(t.app).post(m(`/comments/${comment.id}/undo`)).set(bearer(mod)).send({}).expect(409);
    expect(again.body.error.code).toBe('invalid_state');
  });

  it('takes back a dismissal (the reports are open again) and an approval (the comment is held again)', async () => {
    const where = await place();
    const comment = await reported(where, 1);
    const mod = newStaff(t.tokens);
    await request(t.app).post(m(`/comments/${comment.id}/reports/dismiss`)).set(bearer(mod)).send({}).expect(200);
    await request(t.app).post(m(`/comments/${comment.id}/undo`)).set(bearer(mod)).send({}).expect(200);
    expect(await queue(mod, 'reported', where.site)).toEqual([[comment.id, 1]]);

    const held = { site: await newSite(t.db, { settings: { premoderation: true } }), article: newArticleKey() };
    const pending = await postComment(t.app, newUser(t.tokens), held, { body: 'Waiting for approval.' });
    await request(t.app).post(m(`/comments/${pending.id}/approve`)).set(bearer(mod)).send({}).expect(200);
    const back = await request(t.app).post(m(`/comments/${pending.id}/undo`)).set(bearer(mod)).send({}).expect(200);
    expect(back.body.comment.status).toBe('pending');
    expect(await queue(mod, 'pending', held.site)).toEqual([[pending.id, 0]]);
    expect((await request(t.app).get(threadPath(held)).expect(200)).body.article.commentCount).toBe(0);

    await request(t.app).post(m(`/comments/${pending.id}/reject`)).set(bearer(mod)).send({ reason: 'Off topic' }).expect(200);
    expect((await request(t.app).post(m(`/comments/${pending.id}/undo`)).set(bearer(mod)).send({}).expect(200)).body.comment.status).toBe('pending');
  });

  it('refuses after 10 seconds, another moderator\'s decision, a comment changed since, and nothing to undo', async () => {
    const where = await place();
    const mod = newStaff(t.tokens);
    const other = newStaff(t.tokens, 'moderator', 'Other');
    const undo = (id: string, who: TestUser) => request(t.app).post(m(`/comments/${id}/undo`)).set(bearer(who)).send({});

    const untouched = await reported(where, 1);
    expect((await undo(untouched.id, mod).expect(409)).body.error.code).toBe('invalid_state');

    const late = await reported(where, 1);
    await request(t.app).post(m(`/comments/${late.id}/remove`)).set(bearer(mod)).send({ reason: 'Spam' }).expect(200);
    t.clock.advance(11);
    await undo(late.id, mod).expect(409);

    const theirs = await reported(where, 1);
    await request(t.app).post(m(`/comments/${theirs.id}/remove`)).set(bearer(other)).send({ reason: 'Spam' }).expect(200);
    await undo(theirs.id, mod).expect(409);

    const changed = await reported(where, 1);
    await request(t.app).post(m(`/comments/${changed.id}/remove`)).set(bearer(mod)).send({ reason: 'Spam' }).expect(200);
    await request(t.app).post(m(`/comments/${changed.id}/restore`)).set(bearer(other)).send({}).expect(200);
    await undo(changed.id, mod).expect(409);
  });

  it('needs a moderator of the comment\'s site, a valid id and an existing comment', async () => {
    const where = await place();
    const comment = await reported(where, 1);
    const mod = newStaff(t.tokens);
    await request(t.app).post(m(`/comments/${comment.id}/remove`)).set(bearer(mod)).send({ reason: 'Spam' }).expect(200);
    expect((await request(t.app).post(m(`/comments/${comment.id}/undo`)).send({}).expect(401)).body.error.code).toBe('unauthenticated');
    await request(t.app).post(m(`/comments/${comment.id}/undo`)).set(bearer(newUser(t.tokens))).send({}).expect(403);
    await request(t.app).post(m(`/comments/${comment.id}/undo`)).set(bearer(newSiteModerator(t.tokens, ['elsewhere']))).send({}).expect(403);
    expect((await request(t.app).post(m('/comments/not-an-id/undo')).set(bearer(mod)).send({}).expect(400)).body.error.code).toBe('validation_failed');
    expect((await request(t.app).post(m(`/comments/${randomUUID()}/undo`)).set(bearer(mod)).send({}).expect(404)).body.error.code).toBe('comment_not_found');
    // Still undoable by its moderator after the refusals.
    await request(t.app).post(m(`/comments/${comment.id}/undo`)).set(bearer(mod)).send({}).expect(200);
  });
});
