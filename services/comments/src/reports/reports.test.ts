import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { bearer, newArticleKey, newSite, newUser, postComment, startTestApp, type TestApp } from '../test-support';

let t: TestApp;
beforeAll(async () => (t = await startTestApp()));
afterAll(async () => t.close());

const reportPath = (id: string) => `/api/comments/${id}/reports`;

async function someComment() {
  const where = { site: await newSite(t.db), article: newArticleKey() };
  const author = newUser(t.tokens, 'Author');
  return { author, comment: await postComment(t.app, author, where) };
}

async function reportRows(commentId: string) {
  return t.db.selectFrom('reports').selectAll().where('comment_id', '=', commentId).execute();
}

describe('POST /api/comments/:id/reports', () => {
  it('requires authentication', async () => {
    const { comment } = await someComment();
    const res = await request(t.app).post(reportPath(comment.id)).send({ reason: 'spam' }).expect(401);
    expect(res.body.error.code).toBe('unauthenticated');
    expect(await reportRows(comment.id)).toHaveLength(0);
  });

  it('records a report with its reason and note, once per reader', async () => {
    const { comment } = await someComment();
    const reader = newUser(t.tokens);
    const res = await request(t.app).post(reportPath(comment.id)).set(bearer(reader)).send({ reason: 'abuse', note: '  insults a neighbour  ' }).expect(201);
    expect(res.body.report).toEqual({ id: expect.any(String), commentId: comment.id, reason: 'abuse', createdAt: expect.any(String) });
    const again = await request(t.app).post(reportPath(comment.id)).set(bearer(reader)).send({ reason: 'spam' }).expect(409);
    expect(again.body.error.code).toBe('already_reported');
    await request(t.app).post(reportPath(comment.id)).set(bearer(newUser(t.tokens))).send({ reason: 'spam' }).expect(201);
    const rows = await reportRows(comment.id);
    expect(rows.map((row) => [row.reason, row.note])).toEqual(
      expect.arrayContaining([
        ['abuse', 'insults a neighbour'],
        ['spam', null],
      ]),
    );
  });

  it('rejects a bad reason or an overlong note and stores nothing', async () => {
    const { comment } = await someComment();
    const reader = newUser(t.tokens);
    const bad = await request(t.app).post(reportPath(comment.id)).set(bearer(reader)).send({ reason: 'boring' }).expect(400);
    expect(bad.body.error.details).toEqual([expect.objectContaining({ field: 'reason' })]);
    const long = await request(t.app).post(reportPath(comment.id)).set(bearer(reader)).send({ reason: 'other', note: 'x'.repeat(501) }).expect(400);
    expect(long.body.error.details).toEqual([expect.objectContaining({ field: 'note' })]);
    expect(await reportRows(comment.id)).toHaveLength(0);
  });

  it('refuses reporting your own comment, unknown comments and tombstones', async () => {
    const { comment, author } = await someComment();
    expect((await request(t.app).post(reportPath(comment.id)).set(bearer(author)).send({ reason: 'spam' }).expect(403)).body.error.code).toBe('forbidden');
    await request(t.app).post(reportPath(randomUUID())).set(bearer(newUser(t.tokens))).send({ reason: 'spam' }).expect(404);
    await request(t.app).delete(`/api/comments/${comment.id}`).set(bearer(author)).expect(204);
    await request(t.app).post(reportPath(comment.id)).set(bearer(newUser(t.tokens))).send({ reason: 'spam' }).expect(404);
  });

  it('rate-limits a reader who reports too often', async () => {
    const limited = t.withEnv({ REPORT_RATE_LIMIT: '1' });
    const reader = newUser(t.tokens);
    const first = await someComment();
    const second = await someComment();
    await request(limited).post(reportPath(first.comment.id)).set(bearer(reader)).send({ reason: 'spam' }).expect(201);
    const res = await request(limited).post(reportPath(second.comment.id)).set(bearer(reader)).send({ reason: 'spam' }).expect(429);
    expect(res.headers['retry-after']).toBeDefined();
    expect(await reportRows(second.comment.id)).toHaveLength(0);
  });
});

describe('a logged-in reader sees their own reactions in the thread', () => {
  it('marks reacted comments and replies, and leaves the field out for anonymous readers', async () => {
    const where = { site: await newSite(t.db), article: newArticleKey() };
    const author = newUser(t.tokens, 'Author');
    const top = await postComment(t.app, author, where);
    const reply = await postComment(t.app, author, where, { parentId: top.id });
    const other = await postComment(t.app, author, where);
    const reader = newUser(t.tokens);
    await request(t.app).put(`/api/comments/${reply.id}/reaction`).set(bearer(reader)).expect(200);
    await request(t.app).put(`/api/comments/${other.id}/reaction`).set(bearer(reader)).expect(200);
    const path = `/api/sites/${where.site}/articles/${where.article}/comments?sort=oldest`;

    const mine = await request(t.app).get(path).set(bearer(reader)).expect(200);
    expect(mine.body.comments.map((c: { reacted: boolean }) => c.reacted)).toEqual([false, true]);
    expect(mine.body.comments[0].replies[0].reacted).toBe(true);
    const replies = await request(t.app).get(`/api/comments/${top.id}/replies`).set(bearer(reader)).expect(200);
    expect(replies.body.comments[0].reacted).toBe(true);

    const anonymous = await request(t.app).get(path).expect(200);
    expect(anonymous.body.comments[0]).not.toHaveProperty('reacted');
    await request(t.app).get(path).set('Authorization', 'Bearer broken').expect(401);
  });
});
