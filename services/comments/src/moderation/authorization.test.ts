import { randomUUID } from 'node:crypto';
import request from 'supertest';
import {
  bearer,
  moderationPath as m,
  newArticleKey,
  newSite,
  newStaff,
  newUser,
  postComment,
  startTestApp,
  type TestApp,
  type TestUser,
} from '../test-support';

/**
 * Every moderation endpoint × every kind of caller. Anonymous and bad tokens get 401, readers
 * (banned or not) 403 `forbidden`, a staff account's publisher-page session 403
 * `staff_session_required`, moderators and admins in staff sessions succeed, except that only admins may
 * replace word lists. A refused call must leave the site exactly as it was.
 */

let t: TestApp;
let admin: TestUser;
beforeAll(async () => {
  t = await startTestApp();
  admin = newStaff(t.tokens, 'admin', 'Setup Admin');
});
afterAll(async () => t.close());

interface Fixture {
  site: string;
  article: string;
  author: TestUser;
  published: string;
  reported: string;
  pending: string;
  removed: string;
  banned: TestUser;
}

/** A site with one comment in every state a moderation endpoint acts on, and a banned reader. */
async function fixture(): Promise<Fixture> {
  const site = await newSite(t.db);
  const article = newArticleKey();
  const author = newUser(t.tokens, 'Author');
  const where = { site, article };
  const published = await postComment(t.app, author, where, { body: 'Published.' });
  const reported = await postComment(t.app, author, where, { body: 'Reported.' });
  const removed = await postComment(t.app, author, where, { body: 'To be removed.' });
  await request(t.app).post(`/api/comments/${reported.id}/reports`).set(bearer(newUser(t.tokens))).send({ reason: 'spam' }).expect(201);
  await request(t.app).post(m(`/comments/${removed.id}/remove`)).set(bearer(admin)).send({ reason: 'setup' }).expect(200);
  const held = { site, article: newArticleKey() };
  await request(t.app).patch(m(`/sites/${site}/articles/${held.article}`)).set(bearer(admin)).send({ premoderation: true }).expect(200);
  const pending = await postComment(t.app, author, held, { body: 'Pending.' });
  const banned = newUser(t.tokens, 'Banned Reader');
  await request(t.app).post(m(`/users/${banned.id}/ban`)).set(bearer(admin)).send({ site, reason: 'setup' }).expect(201);
  return { site, article, author, published: published.id, reported: reported.id, pending: pending.id, removed: removed.id, banned };
}

/** Everything a moderation endpoint could change on a site. */
async function siteState(site: string) {
  const articles = await t.db.selectFrom('articles').select(['id', 'state', 'premoderation', 'last_seq', 'comment_count']).where('site_id', '=', site).orderBy('id').execute();
  const ids = articles.map((a) => a.id);
  const comments = ids.length
    ? await t.db.selectFrom('comments').select(['id', 'status', 'open_reports', 'published_at']).where('article_id', 'in', ids).orderBy('id').execute()
    : [];
  const openReports = comments.length
    ? await t.db.selectFrom('reports').select(['id', 'resolved_at']).where('comment_id', 'in', comments.map((c) => c.id)).orderBy('id').execute()
    : [];
  const bans = await t.db.selectFrom('bans').select(['id', 'user_id', 'lifted_at']).where('site_id', '=', site).orderBy('id').execute();
  const log = await t.db.selectFrom('moderation_actions').select(['id']).where('site_id', '=', site).execute();
  const wordLists = await t.db.selectFrom('word_lists').selectAll().where('site_id', '=', site).execute();
  return JSON.parse(JSON.stringify({ articles, comments, openReports, bans, log: log.length, wordLists }));
}

interface Endpoint {
  name: string;
  call: (fx: Fixture) => request.Test;
  ok: number;
  adminOnly?: boolean;
  writes: boolean;
}

const endpoints: Endpoint[] = [
  { name: 'GET queue', ok: 200, writes: false, call: (fx) => request(t.app).get(m(`/queue?type=reported&site=${fx.site}`)) },
  { name: 'POST remove', ok: 200, writes: true, call: (fx) => request(t.app).post(m(`/comments/${fx.published}/remove`)).send({ reason: 'rude' }) },
  { name: 'POST restore', ok: 200, writes: true, call: (fx) => request(t.app).post(m(`/comments/${fx.removed}/restore`)).send({}) },
  { name: 'POST approve', ok: 200, writes: true, call: (fx) => request(t.app).post(m(`/comments/${fx.pending}/approve`)).send({}) },
  { name: 'POST reject', ok: 200, writes: true, call: (fx) => request(t.app).post(m(`/comments/${fx.pending}/reject`)).send({ reason: 'off topic' }) },
  { name: 'POST dismiss', ok: 200, writes: true, call: (fx) => request(t.app).post(m(`/comments/${fx.reported}/reports/dismiss`)).send({}) },
  {
    name: 'POST bulk',
    ok: 200,
    writes: true,
    call: (fx) => request(t.app).post(m('/comments/bulk')).send({ action: 'remove', ids: [fx.published], reason: 'spam' }),
  },
  {
    name: 'POST remove-all',
    ok: 200,
    writes: true,
    call: (fx) => request(t.app).post(m(`/sites/${fx.site}/users/${fx.author.id}/remove-all`)).send({ reason: 'spammer', confirm: true }),
  },
  { name: 'POST ban', ok: 201, writes: true, call: (fx) => request(t.app).post(m(`/users/${newUser(t.tokens, 'Troll').id}/ban`)).send({ site: fx.site, reason: 'troll' }) },
  { name: 'DELETE ban', ok: 204, writes: true, call: (fx) => request(t.app).delete(m(`/users/${fx.banned.id}/ban?site=${fx.site}`)) },
  { name: 'GET bans', ok: 200, writes: false, call: (fx) => request(t.app).get(m(`/sites/${fx.site}/bans`)) },
  {
    name: 'PATCH article',
    ok: 200,
    writes: true,
    call: (fx) => request(t.app).patch(m(`/sites/${fx.site}/articles/${fx.article}`)).send({ state: 'closed' }),
  },
  { name: 'GET word lists', ok: 200, writes: false, call: (fx) => request(t.app).get(m(`/sites/${fx.site}/word-lists`)) },
  {
    name: 'PUT word lists',
    ok: 200,
    writes: true,
    adminOnly: true,
    call: (fx) => request(t.app).put(m(`/sites/${fx.site}/word-lists`)).send({ banned: ['idiot'], suspect: [] }),
  },
  { name: 'GET log', ok: 200, writes: false, call: (fx) => request(t.app).get(m(`/log?site=${fx.site}`)) },
  { name: 'GET author history', ok: 200, writes: false, call: (fx) => request(t.app).get(m(`/users/${fx.author.id}/comments?site=${fx.site}`)) },
];

type Caller = 'anonymous' | 'bad token' | 'reader' | 'banned reader' | 'widget admin' | 'moderator' | 'admin';
/** `widget admin`: an admin's session obtained on a publisher's page (participant scope), as a page script could take it. */
const callers: Caller[] = ['anonymous', 'bad token', 'reader', 'banned reader', 'widget admin', 'moderator', 'admin'];

function authorize(req: request.Test, caller: Caller, fx: Fixture): request.Test {
  switch (caller) {
    case 'anonymous':
      return req;
    case 'bad token':
      return req.set('Authorization', 'Bearer not.a.token');
    case 'reader':
      return req.set(bearer(newUser(t.tokens)));
    case 'banned reader':
      return req.set(bearer(fx.banned));
    case 'widget admin': {
      const id = randomUUID();
      return req.set('Authorization', `Bearer ${t.tokens.sign({ sub: id, name: 'Widget Admin', role: 'admin', scope: 'participant' })}`);
    }
    case 'moderator':
      return req.set(bearer(newStaff(t.tokens, 'moderator')));
    case 'admin':
      return req.set(bearer(newStaff(t.tokens, 'admin')));
  }
}

function expected(endpoint: Endpoint, caller: Caller): { status: number; code?: string } {
  if (caller === 'anonymous') return { status: 401, code: 'unauthenticated' };
  if (caller === 'bad token') return { status: 401, code: 'invalid_token' };
  if (caller === 'reader' || caller === 'banned reader') return { status: 403, code: 'forbidden' };
  if (caller === 'widget admin') return { status: 403, code: 'staff_session_required' };
  if (caller === 'moderator' && endpoint.adminOnly) return { status: 403, code: 'forbidden' };
  return { status: endpoint.ok };
}

describe('moderation authorization matrix', () => {
  const cases = endpoints.flatMap((endpoint) => callers.map((caller) => [endpoint.name, caller, endpoint] as const));

  it.each(cases)('%s as %s', async (_name, caller, endpoint) => {
    const fx = await fixture();
    const before = await siteState(fx.site);
    const want = expected(endpoint, caller);
    const res = await authorize(endpoint.call(fx), caller, fx);
    expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status: want.status, code: want.code });
    const after = await siteState(fx.site);
    if (want.code) {
      expect(after).toEqual(before);
    } else if (endpoint.writes) {
      // Every successful change leaves exactly one line in the moderation log.
      expect(after.log).toBe(before.log + 1);
    } else {
      expect(after).toEqual(before);
    }
  });

  it('checks access before input: a reader with a malformed request still gets 403', async () => {
    const res = await request(t.app).post(m('/comments/not-an-id/remove')).set(bearer(newUser(t.tokens))).send({});
    expect(res.status).toBe(403);
  });
});
