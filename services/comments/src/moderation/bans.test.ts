import { randomUUID } from 'node:crypto';
import request from 'supertest';
import {
  bearer,
  connectSocket,
  connected,
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

async function socketOf(user: TestUser): Promise<TestSocket> {
  const socket = connectSocket(node.url, { token: user.token });
  live.track(socket);
  await connected(socket);
  return socket;
}

/** The four writes a ban stops, each answering with its status and error code. */
async function writes(user: TestUser, where: { site: string; article: string }, own: string, others: string) {
  const codes = async (req: request.Test) => {
    const res = await req;
    return res.status >= 400 ? `${res.status} ${res.body.error.code}` : String(res.status);
  };
  return {
    post: await codes(request(node.app).post(threadPath(where)).set(bearer(user)).send({ body: 'Hello again' })),
    edit: await codes(request(node.app).patch(`/api/comments/${own}`).set(bearer(user)).send({ body: 'Edited' })),
    react: await codes(request(node.app).put(`/api/comments/${others}/reaction`).set(bearer(user))),
    report: await codes(request(node.app).post(`/api/comments/${others}/reports`).set(bearer(user)).send({ reason: 'spam' })),
  };
}

describe('bans', () => {
  it('refuse the very next post, edit, reaction and report on that site, tell open sockets, and lift on unban', async () => {
    const where = { site: await newSite(t.db), article: newArticleKey() };
    const troll = newUser(t.tokens, 'Troll');
    const own = await postComment(node.app, troll, where);
    const others = await postComment(node.app, newUser(t.tokens), where);
    const trollSocket = await socketOf(troll);
    const trollSeen = recordEvents(trollSocket);
    const bystanderSocket = await socketOf(newUser(t.tokens));
    const bystanderSeen = recordEvents(bystanderSocket);
    const mod = newStaff(t.tokens, 'moderator', 'Mo');

    const banned = await request(node.app).post(m(`/users/${troll.id}/ban`)).set(bearer(mod)).send({ site: where.site, reason: 'Trolling' }).expect(201);
    expect(banned.body.ban).toEqual({
      id: expect.any(String),
      site: where.site,
      userId: troll.id,
      userName: 'Troll',
      reason: 'Trolling',
      until: null,
      createdAt: expect.any(String),
      moderator: { id: mod.id, name: 'Mo' },
    });
    const refused = await request(node.app).post(threadPath(where)).set(bearer(troll)).send({ body: 'Hi' }).expect(403);
    expect(refused.body.error).toMatchObject({ code: 'banned', message: 'You are banned from this site.', details: { site: where.site, until: null } });
    expect(await writes(troll, where, own.id, others.id)).toEqual({
      post: '403 banned',
      edit: '403 banned',
      react: '403 banned',
      report: '403 banned',
    });
    const thread = await request(node.app).get(threadPath(where)).expect(200);
    expect(thread.body.article.commentCount).toBe(2);
    expect(await t.db.selectFrom('reports').select('id').where('comment_id', '=', others.id).execute()).toEqual([]);

    await waitFor(trollSocket, () => trollSeen.length >= 1);
    expect(trollSeen[0]).toEqual({ type: 'session:banned', seq: NaN, payload: { site: where.site, until: null } });

    // Another site is not affected.
    const elsewhere = { site: await newSite(t.db), article: newArticleKey() };
    await postComment(node.app, troll, elsewhere);

    const list = await request(node.app).get(m(`/sites/${where.site}/bans`)).set(bearer(mod)).expect(200);
    expect(list.body).toEqual({ bans: [banned.body.ban], nextCursor: null });

    await request(node.app).delete(m(`/users/${troll.id}/ban?site=${where.site}`)).set(bearer(mod)).expect(204);
    await waitFor(trollSocket, () => trollSeen.length >= 2);
    expect(trollSeen[1]).toMatchObject({ type: 'session:unbanned', payload: { site: where.site } });
    expect(await writes(troll, where, own.id, others.id)).toEqual({ post: '201', edit: '200', react: '200', report: '201' });
    expect(bystanderSeen).toEqual([]);
    expect((await request(node.app).get(m(`/sites/${where.site}/bans`)).set(bearer(mod)).expect(200)).body.bans).toEqual([]);

    const again = await request(node.app).delete(m(`/users/${troll.id}/ban?site=${where.site}`)).set(bearer(mod)).expect(404);
    expect(again.body.error.code).toBe('ban_not_found');
  });

  it('can be temporary: until says when, and the ban lapses by itself', async () => {
    const where = { site: await newSite(t.db), article: newArticleKey() };
    const user = newUser(t.tokens);
    const mod = newStaff(t.tokens);
    const until = new Date(t.clock.now().getTime() + 3600_000).toISOString();
    const res = await request(t.app).post(m(`/users/${user.id}/ban`)).set(bearer(mod)).send({ site: where.site, reason: 'Cool off', until }).expect(201);
    expect(res.body.ban.until).toBe(until);
    const refused = await request(t.app).post(threadPath(where)).set(bearer(user)).send({ body: 'Hi' }).expect(403);
    expect(refused.body.error.message).toBe(`You are banned from this site until ${until}.`);
    expect(refused.body.error.details).toEqual({ site: where.site, until });

    t.clock.advance(3601);
    await postComment(t.app, user, where);
    expect((await request(t.app).get(m(`/sites/${where.site}/bans`)).set(bearer(mod)).expect(200)).body.bans).toEqual([]);
    // A new ban replaces a lapsed one.
    await request(t.app).post(m(`/users/${user.id}/ban`)).set(bearer(mod)).send({ site: where.site, reason: 'Again' }).expect(201);
    await request(t.app).post(threadPath(where)).set(bearer(user)).send({ body: 'Hi' }).expect(403);
  });

  it('validates the request: a future until, a known site, a user id', async () => {
    const site = await newSite(t.db);
    const mod = newStaff(t.tokens);
    const user = randomUUID();
    const past = await request(t.app).post(m(`/users/${user}/ban`)).set(bearer(mod)).send({ site, reason: 'x', until: '2001-01-01T00:00:00Z' }).expect(400);
    expect(past.body.error.details).toEqual([{ field: 'until', message: 'must be in the future' }]);
    const bad = await request(t.app).post(m('/users/nobody/ban')).set(bearer(mod)).send({ until: 'tomorrow' }).expect(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['reason', 'site', 'until', 'userId']);
    const unknown = await request(t.app).post(m(`/users/${user}/ban`)).set(bearer(mod)).send({ site: 'no-such-site', reason: 'x' }).expect(404);
    expect(unknown.body.error.code).toBe('site_not_found');
    expect(await t.db.selectFrom('bans').select('id').where('user_id', '=', user).execute()).toEqual([]);
  });

  it('answers 404 for an account that does not exist and refuses to ban an admin, writing nothing', async () => {
    const site = await newSite(t.db);
    const mod = newStaff(t.tokens);
    const nobody = randomUUID();
    const missing = await request(t.app).post(m(`/users/${nobody}/ban`)).set(bearer(mod)).send({ site, reason: 'x' }).expect(404);
    expect(missing.body.error.code).toBe('user_not_found');
    const admin = newStaff(t.tokens, 'admin', 'The Editor');
    for (const actor of [mod, newStaff(t.tokens, 'admin')]) {
      const refused = await request(t.app).post(m(`/users/${admin.id}/ban`)).set(bearer(actor)).send({ site, reason: 'coup' }).expect(403);
      expect(refused.body.error).toMatchObject({ code: 'forbidden', message: expect.stringContaining('An admin cannot be banned') });
    }
    expect(await t.db.selectFrom('bans').select('id').where('site_id', '=', site).execute()).toEqual([]);
    expect(await t.db.selectFrom('moderation_actions').select('id').where('site_id', '=', site).execute()).toEqual([]);
  });
});
