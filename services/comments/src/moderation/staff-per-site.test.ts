import request from 'supertest';
import {
  bearer,
  connectSocket,
  connected,
  liveFixture,
  moderationPath as m,
  newArticleKey,
  newSite,
  newSiteModerator,
  newStaff,
  newUser,
  postComment,
  recordEvents,
  waitFor,
} from '../test-support';

/**
 * Staff per site: a moderator acts on the sites they moderate only — decisions, bans, article
 * controls, word lists — and their queue, log and live room show only those sites. Admins are
 * global. A refused call changes nothing.
 */
const live = liveFixture();

/** A comment with an open report, written through the live node so its sockets hear of it. */
async function reportedOn(site: string) {
  const app = live.node.app;
  const comment = await postComment(app, newUser(live.t.tokens, 'Author'), { site, article: newArticleKey() }, { body: `Reported on ${site}.` });
  await request(app).post(`/api/comments/${comment.id}/reports`).set(bearer(newUser(live.t.tokens))).send({ reason: 'spam' }).expect(201);
  return comment;
}

it('lets a moderator decide on their own site and refuses every action on another', async () => {
  const [gazette, demo] = [await newSite(live.t.db), await newSite(live.t.db)];
  const moderator = newSiteModerator(live.t.tokens, [gazette]);
  const here = await reportedOn(gazette);
  const there = await reportedOn(demo);
  const author = newUser(live.t.tokens, 'Troll');

  const refusals = [
    request(live.t.app).post(m(`/comments/${there.id}/remove`)).set(bearer(moderator)).send({ reason: 'spam' }),
    request(live.t.app).post(m(`/comments/${there.id}/reports/dismiss`)).set(bearer(moderator)).send({}),
    request(live.t.app).post(m(`/users/${author.id}/ban`)).set(bearer(moderator)).send({ site: demo, reason: 'x' }),
    request(live.t.app).get(m(`/sites/${demo}/bans`)).set(bearer(moderator)),
    request(live.t.app).patch(m(`/sites/${demo}/articles/${newArticleKey()}`)).set(bearer(moderator)).send({ state: 'closed' }),
    request(live.t.app).get(m(`/sites/${demo}/word-lists`)).set(bearer(moderator)),
    request(live.t.app).post(m(`/sites/${demo}/users/${author.id}/remove-all`)).set(bearer(moderator)).send({ reason: 'x', confirm: true }),
    request(live.t.app).get(m(`/queue?type=reported&site=${demo}`)).set(bearer(moderator)),
    request(live.t.app).get(m(`/log?site=${demo}`)).set(bearer(moderator)),
  ];
  for (const refused of await Promise.all(refusals)) {
    expect({ status: refused.status, code: refused.body.error?.code, message: refused.body.error?.message }).toEqual({
      status: 403,
      code: 'forbidden',
      message: `You do not moderate the site "${demo}"; an admin can add it to your sites.`,
    });
  }
  const bulk = await request(live.t.app).post(m('/comments/bulk')).set(bearer(moderator)).send({ action: 'remove', ids: [there.id], reason: 'spam' }).expect(200);
  expect(bulk.body.results).toEqual([{ id: there.id, ok: false, error: expect.objectContaining({ code: 'forbidden' }) }]);
  expect((await live.t.db.selectFrom('comments').select('status').where('id', '=', there.id).executeTakeFirstOrThrow()).status).toBe('published');

  await request(live.t.app).post(m(`/comments/${here.id}/remove`)).set(bearer(moderator)).send({ reason: 'spam' }).expect(200);
  // An admin is global.
  await request(live.t.app).post(m(`/comments/${there.id}/remove`)).set(bearer(newStaff(live.t.tokens, 'admin'))).send({ reason: 'spam' }).expect(200);
});

it('shows a moderator the queue and log of their sites only', async () => {
  const [gazette, demo] = [await newSite(live.t.db), await newSite(live.t.db)];
  const moderator = newSiteModerator(live.t.tokens, [gazette]);
  const here = await reportedOn(gazette);
  const there = await reportedOn(demo);
  // Other test files share the database, so "every site" is checked for these two sites only.
  const queue = await request(live.t.app).get(m('/queue?type=reported&limit=100')).set(bearer(moderator)).expect(200);
  const ids = queue.body.items.map((item: { comment: { id: string } }) => item.comment.id);
  expect(ids).toContain(here.id);
  expect(ids).not.toContain(there.id);
  expect(queue.body.items.every((item: { article: { site: string } }) => item.article.site === gazette)).toBe(true);
  for (const [site, id] of [[gazette, here.id], [demo, there.id]] as const) {
    const global = await request(live.t.app).get(m(`/queue?type=reported&limit=100&site=${site}`)).set(bearer(newStaff(live.t.tokens))).expect(200);
    expect(global.body.items.map((item: { comment: { id: string } }) => item.comment.id)).toContain(id);
  }

  await request(live.t.app).post(m(`/comments/${here.id}/remove`)).set(bearer(moderator)).send({ reason: 'spam' }).expect(200);
  await request(live.t.app).post(m(`/comments/${there.id}/remove`)).set(bearer(newStaff(live.t.tokens, 'admin'))).send({ reason: 'spam' }).expect(200);
  const log = await request(live.t.app).get(m('/log?limit=100')).set(bearer(moderator)).expect(200);
  expect(log.body.entries.length).toBeGreaterThan(0);
  expect(log.body.entries.every((entry: { site: string | null }) => entry.site === gazette)).toBe(true);
});

it('tells a moderator\'s socket about their sites\' queues only', async () => {
  const [gazette, demo] = [await newSite(live.t.db), await newSite(live.t.db)];
  const socket = connectSocket(live.node.url, { token: newSiteModerator(live.t.tokens, [gazette]).token });
  live.track(socket);
  await connected(socket);
  expect(await socket.timeout(5000).emitWithAck('moderation:join', {})).toEqual({ ok: true });
  const seen = recordEvents(socket);
  await reportedOn(demo);
  const here = await reportedOn(gazette);
  await waitFor(socket, () => seen.some((event) => event.type === 'moderation:queue'));
  const queueEvents = seen.filter((event) => event.type === 'moderation:queue').map((event) => event.payload as { site: string; commentId: string });
  expect(queueEvents).toEqual([expect.objectContaining({ site: gazette, commentId: here.id })]);
});
