import request from 'supertest';
import {
  articleEvents,
  articleRow,
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
} from '../test-support';

/**
 * Posting is one statement (comments.repository insertPostedComment): many posts into one busy
 * article at once still get gap-free, ordered event numbers, counters that add up, and nothing
 * stored for a post that was refused.
 */
let t: TestApp;
beforeAll(async () => (t = await startTestApp()));
afterAll(() => t.close());

const place = async (settings = {}) => ({ site: await newSite(t.db, { settings }), article: newArticleKey() });

describe('many posts into one article at once', () => {
  it('number their events 1..n without a gap, each event the comment as stored, and count them all', async () => {
    const where = await place();
    const parent = await postComment(t.app, newUser(t.tokens), where, { body: 'parent' });
    const answers = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        request(t.app)
          .post(threadPath(where))
          .set(bearer(newUser(t.tokens)))
          .send(i % 3 === 0 ? { body: `reply ${i}`, parentId: parent.id } : { body: `comment ${i}` }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(24).fill(201));
    const events = await articleEvents(t.db, where);
    expect(events.map((event) => event.seq)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    const byId = new Map(answers.map((answer) => [answer.body.comment.id, answer.body.comment]));
    for (const event of events.slice(1)) {
      expect(event.change.type).toBe('comment:created');
      const comment = (event.change as { comment: { id: string } }).comment;
      expect(comment).toEqual(byId.get(comment.id));
    }
    expect(await articleRow(t.db, where)).toMatchObject({ last_seq: 25, comment_count: 25 });
    const page = await request(t.app).get(threadPath(where)).query({ sort: 'oldest', limit: 1 }).expect(200);
    expect(page.body.comments[0]).toMatchObject({ id: parent.id, replyCount: 8 });
  });

  it('keep held comments out of the numbering, and a post refused by a closing article out of everything', async () => {
    const where = await place();
    const first = await postComment(t.app, newUser(t.tokens), where);
    const mod = newStaff(t.tokens);
    const path = m(`/sites/${where.site}/articles/${where.article}`);
    await request(t.app).patch(path).set(bearer(mod)).send({ premoderation: true }).expect(200);
    const held = await Promise.all(Array.from({ length: 5 }, () => postComment(t.app, newUser(t.tokens), where, { body: 'held' })));
    expect(held.map((comment) => comment.status)).toEqual(Array(5).fill('pending'));
    await request(t.app).patch(path).set(bearer(mod)).send({ premoderation: false }).expect(200);

    const posts = Array.from({ length: 10 }, (_, i) => request(t.app).post(threadPath(where)).set(bearer(newUser(t.tokens))).send({ body: `race ${i}` }));
    const closing = request(t.app).patch(path).set(bearer(mod)).send({ state: 'closed' });
    const [closed, ...answers] = await Promise.all([closing, ...posts]);
    expect(closed.status).toBe(200);
    const accepted = answers.filter((answer) => answer.status === 201);
    for (const answer of answers.filter((a) => a.status !== 201)) expect(answer.body.error.code).toBe('article_closed');

    const events = await articleEvents(t.db, where);
    expect(events.map((event) => event.seq)).toEqual(Array.from({ length: events.length }, (_, i) => i + 1));
    // The first comment, every accepted post, and the closing itself; nothing for held or refused ones.
    expect(events.length).toBe(1 + accepted.length + 1);
    expect(await articleRow(t.db, where)).toMatchObject({ last_seq: events.length, comment_count: 1 + accepted.length, state: 'closed' });
    const stored = await t.db.selectFrom('comments').select('status').where('article_id', '=', (await articleRow(t.db, where))!.id).execute();
    expect(stored.length).toBe(1 + 5 + accepted.length);
    expect(first.status).toBe('published');
  });
});
