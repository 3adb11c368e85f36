import request from 'supertest';
import { bearer, moderationPath as m, newArticleKey, newSite, newSiteModerator, newStaff, newUser, postComment, startTestApp, type TestApp } from '../test-support';

// A person's record for moderators: bans, notes other moderators see, and what was done to them and their comments.
let t: TestApp;
beforeAll(async () => (t = await startTestApp()));
afterAll(async () => t.close());

describe('person record and notes', () => {
  it('shows bans, notes and actions on the person and their comments, only on the sites in view', async () => {
    const [site, other] = [await newSite(t.db), await newSite(t.db)];
    const troll = newUser(t.tokens, 'Troll Name');
    const comment = await postComment(t.app, troll, { site, article: newArticleKey() }, { body: 'Rude.' });
    await postComment(t.app, troll, { site: other, article: newArticleKey() }, { body: 'Elsewhere.' });
    const ann = newStaff(t.tokens, 'moderator', 'Ann');
    await request(t.app).post(m(`/comments/${comment.id}/remove`)).set(bearer(ann)).send({ reason: 'Personal attack' }).expect(200);
    await request(t.app).post(m(`/users/${troll.id}/ban`)).set(bearer(ann)).send({ site, reason: 'Repeat offender' }).expect(201);
    const note = await request(t.app).post(m(`/users/${troll.id}/notes`)).set(bearer(ann)).send({ site, note: 'Same person as last year\u2019s “Troll2”.' }).expect(201);
    expect(note.body).toMatchObject({ action: 'user.note', reason: 'Same person as last year\u2019s “Troll2”.', moderator: { name: 'Ann' } });

    const bob = newSiteModerator(t.tokens, [site], 'Bob');
    const record = await request(t.app).get(m(`/users/${troll.id}/record`)).set(bearer(bob)).expect(200);
    expect(record.body).toMatchObject({
      userId: troll.id,
      name: 'Troll Name',
      bans: [{ site, reason: 'Repeat offender', userName: 'Troll Name' }],
      notes: [{ reason: 'Same person as last year\u2019s “Troll2”.', moderator: { name: 'Ann' } }],
    });
    expect(record.body.actions.map((a: { action: string }) => a.action)).toEqual(['user.ban', 'comment.remove']);
    expect(record.body.actions[1].subject).toMatchObject({ userName: 'Troll Name', article: { site } });
    // A moderator of the other site sees nothing of this site.
    const carol = newSiteModerator(t.tokens, [other], 'Carol');
    expect((await request(t.app).get(m(`/users/${troll.id}/record`)).set(bearer(carol)).expect(200)).body).toMatchObject({ bans: [], notes: [], actions: [] });
  });

  it('refuses bad notes, sites not moderated, readers and anonymous callers', async () => {
    const site = await newSite(t.db);
    const user = newUser(t.tokens);
    const mod = newStaff(t.tokens);
    const notes = m(`/users/${user.id}/notes`);
    expect((await request(t.app).post(notes).set(bearer(mod)).send({ site, note: ' ' }).expect(400)).body.error.code).toBe('validation_failed');
    await request(t.app).post(notes).set(bearer(mod)).send({ site, note: 'x'.repeat(1001) }).expect(400);
    await request(t.app).post(m('/users/not-a-user/notes')).set(bearer(mod)).send({ site, note: 'x' }).expect(400);
    expect((await request(t.app).post(notes).set(bearer(mod)).send({ site: 'no-such-site', note: 'x' }).expect(404)).body.error.code).toBe('site_not_found');
    await request(t.app).post(notes).set(bearer(newSiteModerator(t.tokens, ['elsewhere']))).send({ site, note: 'x' }).expect(403);
    await request(t.app).post(notes).set(bearer(user)).send({ site, note: 'x' }).expect(403);
    await request(t.app).post(notes).send({ site, note: 'x' }).expect(401);
    await request(t.app).get(m(`/users/${user.id}/record?site=${site}`)).set(bearer(newSiteModerator(t.tokens, ['elsewhere']))).expect(403);
    await request(t.app).get(m(`/users/${user.id}/record`)).set(bearer(user)).expect(403);
    await request(t.app).get(m(`/users/${user.id}/record`)).expect(401);
  });
});
