import request from 'supertest';
import {
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

let t: TestApp;
beforeAll(async () => (t = await startTestApp()));
afterAll(async () => t.close());

async function siteWithLists(banned: string[], suspect: string[]) {
  const site = await newSite(t.db);
  await request(t.app).put(m(`/sites/${site}/word-lists`)).set(bearer(newStaff(t.tokens, 'admin'))).send({ banned, suspect }).expect(200);
  return { site, article: newArticleKey() };
}

describe('word lists', () => {
  it('are read by moderators and replaced by admins only', async () => {
    const site = await newSite(t.db);
    const path = m(`/sites/${site}/word-lists`);
    const mod = newStaff(t.tokens);
    expect((await request(t.app).get(path).set(bearer(mod)).expect(200)).body).toEqual({ wordLists: { banned: [], suspect: [] }, updatedAt: null, version: 0 });
    const refused = await request(t.app).put(path).set(bearer(mod)).send({ banned: ['idiot'], suspect: [] }).expect(403);
    expect(refused.body.error.code).toBe('forbidden');
    const admin = newStaff(t.tokens, 'admin', 'Ada Admin');
    const saved = await request(t.app).put(path).set(bearer(admin)).send({ banned: ['Idiot', 'idiot', 'хуй'], suspect: ['дурак*'] }).expect(200);
    expect(saved.body.wordLists).toEqual({ banned: ['idiot', 'хуй'], suspect: ['дурак*'] });
    expect((await request(t.app).get(path).set(bearer(mod)).expect(200)).body.wordLists).toEqual(saved.body.wordLists);
    const invalid = await request(t.app).put(path).set(bearer(admin)).send({ banned: ['two words'], suspect: 'x' }).expect(400);
    expect(invalid.body.error.details.map((d: { field: string }) => d.field)).toEqual(['banned.0', 'suspect']);
    const log = await request(t.app).get(m(`/log?site=${site}`)).set(bearer(mod)).expect(200);
    expect(log.body.entries).toEqual([
      expect.objectContaining({
        action: 'word_lists.update',
        moderator: { id: admin.id, name: 'Ada Admin' },
        targetType: 'site',
        targetId: site,
        details: { banned: { added: ['idiot', 'хуй'], removed: [] }, suspect: { added: ['дурак*'], removed: [] } },
      }),
    ]);
    expect((await request(t.app).get(m('/sites/no-such-site/word-lists')).set(bearer(mod)).expect(404)).body.error.code).toBe('site_not_found');
  });

  it('save conditionally on the version loaded: a save after someone else\'s is refused, not an erasure', async () => {
    const site = await newSite(t.db);
    const path = m(`/sites/${site}/word-lists`);
    const ann = newStaff(t.tokens, 'admin', 'Ann');
    const bob = newStaff(t.tokens, 'admin', 'Bob');
    const first = await request(t.app).put(path).set(bearer(ann)).send({ banned: ['scoundrel'], suspect: [], version: 0 }).expect(200);
    expect(first.body.version).toBe(1);
    // Bob loaded version 0 (before Ann saved): his save would erase "scoundrel".
    const stale = await request(t.app).put(path).set(bearer(bob)).send({ banned: ['rascal'], suspect: [], version: 0 }).expect(409);
    expect(stale.body.error.code).toBe('stale_version');
    const loaded = await request(t.app).get(path).set(bearer(bob)).expect(200);
    expect(loaded.body).toMatchObject({ wordLists: { banned: ['scoundrel'] }, version: 1 });
    const saved = await request(t.app).put(path).set(bearer(bob)).send({ banned: ['scoundrel', 'rascal'], suspect: [], version: 1 }).expect(200);
    expect(saved.body).toMatchObject({ wordLists: { banned: ['scoundrel', 'rascal'] }, version: 2 });
    await request(t.app).put(path).set(bearer(ann)).send({ banned: [], suspect: [], version: 1 }).expect(409);
    // A version that never was, and a bad one.
    await request(t.app).put(path).set(bearer(ann)).send({ banned: [], suspect: [], version: 7 }).expect(409);
    expect((await request(t.app).put(path).set(bearer(ann)).send({ banned: [], suspect: [], version: -1 }).expect(400)).body.error.code).toBe('validation_failed');
    // Without a version (scripts) the lists are replaced as before.
    expect((await request(t.app).put(path).set(bearer(ann)).send({ banned: [], suspect: [] }).expect(200)).body.version).toBe(3);
  });

  it.each([
    ['You are an idiot', 'idiot'],
    ['i.d.i.o.t', 'idiot'],
    ['i d i o t', 'idiot'],
    ['iiidiot!', 'idiot'],
    ['\u0456diot', 'idiot'],
    ['Ну и хуй', 'хуй'],
    ['xуй', 'хуй'],
    ['х-у-й', 'хуй'],
  ])('refuse %j with 422 banned_word and store nothing', async (body, word) => {
    const where = await siteWithLists(['idiot', 'хуй'], ['дурак']);
    const res = await request(t.app).post(threadPath(where)).set(bearer(newUser(t.tokens))).send({ body }).expect(422);
    expect(res.body.error).toMatchObject({ code: 'banned_word', details: { list: 'banned', word } });
    // Not even the article: the refused post created nothing.
    expect(await articleRow(t.db, where)).toBeUndefined();
  });

  it('let innocent words through', async () => {
    const where = await siteWithLists(['ass', 'крип'], []);
    for (const body of ['A class act, with assets.', 'Этот скрипт хорош', 'as is']) {
      expect((await postComment(t.app, newUser(t.tokens), where, { body })).status).toBe('published');
    }
  });

  it('hold a comment with a suspect word for review (English and Russian)', async () => {
    const where = await siteWithLists([], ['moron', 'дурак*']);
    const author = newUser(t.tokens);
    for (const body of ['What a m o r o n', 'Сам ты дураки']) {
      expect((await postComment(t.app, author, where, { body })).status).toBe('pending');
    }
    const other = await request(t.app).get(threadPath(where)).expect(200);
    expect(other.body.comments).toEqual([]);
    const queue = await request(t.app).get(m(`/queue?type=pending&site=${where.site}`)).set(bearer(newStaff(t.tokens))).expect(200);
    expect(queue.body.items).toHaveLength(2);
  });

  it('apply to edits: a banned word refuses the edit, a suspect word holds the comment again', async () => {
    const where = await siteWithLists(['idiot'], ['moron']);
    const author = newUser(t.tokens);
    const comment = await postComment(t.app, author, where, { body: 'Fine words.' });
    const refused = await request(t.app).patch(`/api/comments/${comment.id}`).set(bearer(author)).send({ body: 'You i-d-i-o-t' }).expect(422);
    expect(refused.body.error.code).toBe('banned_word');
    const held = await request(t.app).patch(`/api/comments/${comment.id}`).set(bearer(author)).send({ body: 'You moron' }).expect(200);
    expect(held.body.comment).toMatchObject({ status: 'pending', body: 'You moron' });
    const thread = await request(t.app).get(threadPath(where)).expect(200);
    expect(thread.body.comments[0]).toMatchObject({ id: comment.id, status: 'removed', body: '' });
    expect(thread.body.article.commentCount).toBe(0);
  });
});
