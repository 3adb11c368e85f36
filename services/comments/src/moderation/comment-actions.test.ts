import { randomUUID } from 'node:crypto';
import request from 'supertest';
import {
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
} from '../test-support';

const live = liveFixture();
let t: TestApp;
let node: LiveNode;
beforeAll(() => {
  ({ t, node } = live);
});

async function liveReader(where: { site: string; article: string }) {
  const socket = connectSocket(node.url);
  live.track(socket);
  await connected(socket);
  await joinArticle(socket, where);
  return { socket, seen: recordEvents(socket) };
}

const place = async () => ({ site: await newSite(t.db), article: newArticleKey() });

describe('remove and restore', () => {
  it('tombstones a comment for readers (replies stay), live, while moderators still see the original', async () => {
    const where = await place();
    const author = newUser(t.tokens, 'Rude Author');
    const rude = await postComment(node.app, author, where, { body: 'Something rude.' });
    const reply = await postComment(node.app, newUser(t.tokens, 'Replier'), where, { body: 'A fair reply.', parentId: rude.id });
    await request(node.app).post(`/api/comments/${rude.id}/reports`).set(bearer(newUser(t.tokens))).send({ reason: 'abuse' }).expect(201);
    const { socket, seen } = await liveReader(where);
    const mod = newStaff(t.tokens, 'moderator', 'Mia Moderator');

    const res = await request(node.app).post(m(`/comments/${rude.id}/remove`)).set(bearer(mod)).send({ reason: 'Personal attack' }).expect(200);
    expect(res.body.comment).toMatchObject({ id: rude.id, status: 'removed', body: 'Something rude.', author: { id: author.id } });

    await waitFor(socket, () => seen.length >= 1);
    expect(seen[0]).toMatchObject({ type: 'comment:removed', payload: { comment: { id: rude.id, status: 'removed', author: null, body: '', html: '' } } });

    const thread = await request(node.app).get(threadPath(where)).expect(200);
    expect(thread.body.article.commentCount).toBe(1);
    expect(thread.body.comments[0]).toMatchObject({ id: rude.id, status: 'removed', body: '', author: null, replyCount: 1 });
    expect(thread.body.comments[0].replies.map((c: { id: string }) => c.id)).toEqual([reply.id]);

    // Its open report is resolved: it has left the reported queue.
    const queue = await request(node.app).get(m(`/queue?type=reported&site=${where.site}`)).set(bearer(mod)).expect(200);
    expect(queue.body.items).toEqual([]);
    const history = await request(node.app).get(m(`/users/${author.id}/comments`)).set(bearer(mod)).expect(200);
    expect(history.body.items[0].comment).toMatchObject({ id: rude.id, status: 'removed', body: 'Something rude.' });

    const restored = await request(node.app).post(m(`/comments/${rude.id}/restore`)).set(bearer(mod)).send({}).expect(200);
    expect(restored.body.comment).toMatchObject({ status: 'published', body: 'Something rude.' });
    await waitFor(socket, () => seen.length >= 2);
    expect(seen[1]).toMatchObject({ type: 'comment:updated', payload: { comment: { id: rude.id, status: 'published', body: 'Something rude.' } } });
    expect((await articleRow(t.db, where))?.comment_count).toBe(2);
  });

  it('answers 409 invalid_state for the wrong status, 404 for unknown ids, 400 without a reason', async () => {
    const where = await place();
    const mod = newStaff(t.tokens);
    const author = newUser(t.tokens);
    const comment = await postComment(t.app, author, where);
    const seqBefore = (await articleRow(t.db, where))!.last_seq;
    for (const action of ['restore', 'approve'] as const) {
      const res = await request(t.app).post(m(`/comments/${comment.id}/${action}`)).set(bearer(mod)).send({}).expect(409);
      expect(res.body.error.code).toBe('invalid_state');
    }
    expect((await request(t.app).post(m(`/comments/${comment.id}/reject`)).set(bearer(mod)).send({ reason: 'x' }).expect(409)).body.error.code).toBe('invalid_state');
    expect((await request(t.app).post(m(`/comments/${comment.id}/reports/dismiss`)).set(bearer(mod)).send({}).expect(409)).body.error.code).toBe('invalid_state');
    expect((await request(t.app).post(m(`/comments/${randomUUID()}/remove`)).set(bearer(mod)).send({ reason: 'x' }).expect(404)).body.error.code).toBe('comment_not_found');
    const invalid = await request(t.app).post(m(`/comments/${comment.id}/remove`)).set(bearer(mod)).send({}).expect(400);
    expect(invalid.body.error.details).toEqual([{ field: 'reason', message: 'is required' }]);
    await request(t.app).post(m(`/comments/${comment.id}/remove`)).set(bearer(mod)).send({ reason: 'ok' }).expect(200);
    expect((await request(t.app).post(m(`/comments/${comment.id}/remove`)).set(bearer(mod)).send({ reason: 'again' }).expect(409)).body.error.code).toBe('invalid_state');
    // The author's own deleted comment is not a moderator's to restore.
    const deleted = await postComment(t.app, author, where);
    await request(t.app).delete(`/api/comments/${deleted.id}`).set(bearer(author)).expect(204);
    await request(t.app).post(m(`/comments/${deleted.id}/restore`)).set(bearer(mod)).send({}).expect(409);
    // Only the successful removal recorded an event (plus the later post and delete).
    expect((await articleRow(t.db, where))!.last_seq).toBe(seqBefore + 3);
  });
});

describe('dismissing reports', () => {
  it('resolves the open reports and keeps the comment published', async () => {
    const where = await place();
    const comment = await postComment(t.app, newUser(t.tokens), where);
    for (const reason of ['spam', 'spam', 'off_topic']) {
      await request(t.app).post(`/api/comments/${comment.id}/reports`).set(bearer(newUser(t.tokens))).send({ reason }).expect(201);
    }
    const mod = newStaff(t.tokens);
    const res = await request(t.app).post(m(`/comments/${comment.id}/reports/dismiss`)).set(bearer(mod)).send({ reason: 'fine' }).expect(200);
    expect(res.body.comment.status).toBe('published');
    const open = await t.db.selectFrom('reports').select('id').where('comment_id', '=', comment.id).where('resolved_at', 'is', null).execute();
    expect(open).toEqual([]);
    const queue = await request(t.app).get(m(`/queue?type=reported&site=${where.site}`)).set(bearer(mod)).expect(200);
    expect(queue.body.items).toEqual([]);
  });
});

describe('bulk actions and remove-all', () => {
  it('approves or removes up to 100 comments, reporting each one', async () => {
    const where = await place();
    const mod = newStaff(t.tokens);
    const [a, b] = [await postComment(t.app, newUser(t.tokens), where), await postComment(t.app, newUser(t.tokens), where)];
    const missing = randomUUID();
    const res = await request(t.app).post(m('/comments/bulk')).set(bearer(mod)).send({ action: 'remove', ids: [a.id, missing, b.id], reason: 'spam wave' }).expect(200);
    expect(res.body.results).toEqual([
      { id: a.id, ok: true },
      { id: missing, ok: false, error: { code: 'comment_not_found', message: expect.any(String) } },
      { id: b.id, ok: true },
    ]);
    const again = await request(t.app).post(m('/comments/bulk')).set(bearer(mod)).send({ action: 'approve', ids: [a.id] }).expect(200);
    expect(again.body.results).toEqual([{ id: a.id, ok: false, error: { code: 'invalid_state', message: expect.any(String) } }]);

    const tooMany = Array.from({ length: 101 }, () => randomUUID());
    const bad = await request(t.app).post(m('/comments/bulk')).set(bearer(mod)).send({ action: 'remove', ids: tooMany, reason: 'x' }).expect(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).toEqual(['ids']);
    const noReason = await request(t.app).post(m('/comments/bulk')).set(bearer(mod)).send({ action: 'remove', ids: [b.id] }).expect(400);
    expect(noReason.body.error.details).toEqual([{ field: 'reason', message: 'is required to remove' }]);
  });

  it('removes every published or pending comment of a user on one site, each live, only with confirm: true', async () => {
    const site = await newSite(t.db);
    const one = { site, article: newArticleKey() };
    const two = { site, article: newArticleKey() };
    const elsewhere = await place();
    const spammer = newUser(t.tokens, 'Spammer');
    const bystander = newUser(t.tokens, 'Bystander');
    const [s1, s2, s3] = [await postComment(node.app, spammer, one), await postComment(node.app, spammer, one), await postComment(node.app, spammer, two)];
    const kept = await postComment(node.app, bystander, one);
    const otherSite = await postComment(node.app, spammer, elsewhere);
    const { socket, seen } = await liveReader(one);
    const mod = newStaff(t.tokens);
    const path = m(`/sites/${site}/users/${spammer.id}/remove-all`);

    const unconfirmed = await request(node.app).post(path).set(bearer(mod)).send({ reason: 'spam' }).expect(400);
    expect(unconfirmed.body.error.details).toEqual([{ field: 'confirm', message: expect.any(String) }]);
    await request(node.app).post(path).set(bearer(mod)).send({ reason: 'spam', confirm: false }).expect(400);
    expect((await articleRow(t.db, one))!.comment_count).toBe(3);

    const res = await request(node.app).post(path).set(bearer(mod)).send({ reason: 'spam', confirm: true }).expect(200);
    expect([...res.body.removed].sort()).toEqual([s1.id, s2.id, s3.id].sort());
    await waitFor(socket, () => seen.length >= 2);
    expect(seen.map((e) => [e.type, (e.payload.comment as { id: string }).id])).toEqual([
      ['comment:removed', s1.id],
      ['comment:removed', s2.id],
    ]);
    expect((await articleRow(t.db, one))!.comment_count).toBe(1);
    expect((await articleRow(t.db, two))!.comment_count).toBe(0);
    const thread = await request(node.app).get(threadPath(one)).expect(200);
    expect(thread.body.comments.find((c: { id: string }) => c.id === kept.id).status).toBe('published');
    expect((await articleRow(t.db, elsewhere))!.comment_count).toBe(1);
    expect(otherSite.status).toBe('published');

    const log = await request(node.app).get(m(`/log?site=${site}`)).set(bearer(mod)).expect(200);
    expect(log.body.entries[0]).toMatchObject({ action: 'user.remove_all', targetType: 'user', targetId: spammer.id, reason: 'spam', details: { removed: 3 } });
  });
});
