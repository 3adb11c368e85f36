import { randomUUID } from 'node:crypto';
import request from 'supertest';
import {
  articleEvents,
  articleRow,
  bearer,
  newArticleKey,
  newSite,
  newStaff,
  newUser,
  postComment,
  startTestApp,
  threadPath,
  type TestApp,
  type TestUser,
} from '../test-support';

/**
 * A site's `requireVerifiedEmail` (issue 16 item 2): new comments and replies wait until the
 * reader's email is confirmed — the token's `email_verified` — or the reader comes through the
 * site's own sign-on, which vouches for them. Edits, likes and reports are not held.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const sites = '/api/admin/sites';
const confirmed = (name = 'Confirmed Reader'): TestUser => {
  const user = newUser(t.tokens, name);
  return { ...user, token: t.tokens.sign({ sub: user.id, name, email_verified: true }) };
};
/** A reader of a publisher's sign-on (`idp` sso:<site>): Parley never confirmed their address. */
const publisherReader = (site: string): TestUser => {
  const user = newUser(t.tokens, 'Ada Subscriber');
  return { ...user, token: t.tokens.sign({ sub: user.id, name: user.name, idp: `sso:${site}`, email_verified: false }) };
};
const requiringSite = () => newSite(t.db, { settings: { requireVerifiedEmail: true } });

async function expectUnverified(user: TestUser, where: { site: string; article: string }, fields: Record<string, unknown> = {}) {
  const res = await request(t.app).post(threadPath(where)).set(bearer(user)).send({ body: 'Let me in.', ...fields });
  expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 403, code: 'email_unverified' });
  expect(res.body.error.requestId).toEqual(expect.any(String));
}

describe('posting on a site that requires a confirmed email', () => {
  it('lets anyone with an account post where the site does not ask for it', async () => {
    const where = { site: await newSite(t.db), article: newArticleKey() };
    const comment = await postComment(t.app, newUser(t.tokens), where);
    await postComment(t.app, newUser(t.tokens), where, { parentId: comment.id });
  });

  it('refuses a comment from an unconfirmed account with 403 email_unverified, storing nothing', async () => {
    const where = { site: await requiringSite(), article: newArticleKey() };
    await expectUnverified(newUser(t.tokens), where);
    expect(await articleRow(t.db, where)).toBeUndefined();
    // An older token, issued before the claim existed, counts as unconfirmed too.
    const old = newUser(t.tokens);
    await expectUnverified({ ...old, token: t.tokens.sign({ sub: old.id, email_verified: undefined }) }, where);
    expect(await articleRow(t.db, where)).toBeUndefined();
  });

  it('refuses a reply from an unconfirmed account and leaves the thread as it was', async () => {
    const where = { site: await requiringSite(), article: newArticleKey() };
    const parent = await postComment(t.app, confirmed(), where);
    const before = await articleEvents(t.db, where);
    await expectUnverified(newUser(t.tokens), where, { parentId: parent.id });
    expect(await articleEvents(t.db, where)).toEqual(before);
    expect((await articleRow(t.db, where))?.comment_count).toBe(1);
    const parentRow = await t.db.selectFrom('comments').select('reply_count').where('id', '=', parent.id).executeTakeFirstOrThrow();
    expect(parentRow.reply_count).toBe(0);
  });

  it('takes comments and replies from a confirmed account', async () => {
    const where = { site: await requiringSite(), article: newArticleKey() };
    const reader = confirmed('Grace Confirmed');
    const comment = await postComment(t.app, reader, where);
    expect(comment).toMatchObject({ author: { id: reader.id, name: 'Grace Confirmed' }, status: 'published' });
    await postComment(t.app, confirmed(), where, { parentId: comment.id });
    expect((await articleRow(t.db, where))?.comment_count).toBe(2);
  });

  it('takes the site’s own sign-on readers as vouched for, not another site’s', async () => {
    const site = await requiringSite();
    const where = { site, article: newArticleKey() };
    await postComment(t.app, publisherReader(site), where);
    await expectUnverified(publisherReader(await newSite(t.db)), where);
    expect((await articleRow(t.db, where))?.comment_count).toBe(1);
  });

  it('holds the same rule on a site that closes discussions on a deadline (the transactional path)', async () => {
    const where = { site: await newSite(t.db, { settings: { requireVerifiedEmail: true, autoCloseAfterDays: 30 } }), article: newArticleKey() };
    await expectUnverified(newUser(t.tokens), where);
    expect(await articleRow(t.db, where)).toBeUndefined();
    await postComment(t.app, confirmed(), where);
  });

  it('says banned before unconfirmed: a ban is the reason that matters', async () => {
    const site = await requiringSite();
    const where = { site, article: newArticleKey() };
    const reader = newUser(t.tokens);
    const moderator = newStaff(t.tokens);
    await request(t.app).post(`/api/moderation/users/${reader.id}/ban`).set(bearer(moderator)).send({ site, reason: 'Spam' }).expect(201);
    const res = await request(t.app).post(threadPath(where)).set(bearer(reader)).send({ body: 'Hi' });
    expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 403, code: 'banned' });
  });

  it('does not hold edits, deletions, likes or reports of an unconfirmed account once an admin turns it on', async () => {
    const admin = newStaff(t.tokens, 'admin');
    const site = await newSite(t.db);
    const where = { site, article: newArticleKey() };
    const author = newUser(t.tokens);
    const other = newUser(t.tokens);
    const mine = await postComment(t.app, author, where);
    const theirs = await postComment(t.app, other, where);

    const patched = await request(t.app).patch(`${sites}/${site}`).set(bearer(admin)).send({ settings: { requireVerifiedEmail: true } }).expect(200);
    expect(patched.body.site.settings).toMatchObject({ requireVerifiedEmail: true });

    await expectUnverified(author, where);
    await request(t.app).patch(`/api/comments/${mine.id}`).set(bearer(author)).send({ body: 'Edited, still mine.' }).expect(200);
    await request(t.app).put(`/api/comments/${theirs.id}/reaction`).set(bearer(author)).expect(200);
    await request(t.app).post(`/api/comments/${theirs.id}/reports`).set(bearer(author)).send({ reason: 'spam' }).expect(201);
    await request(t.app).delete(`/api/comments/${mine.id}`).set(bearer(author)).expect(204);

    // Back to the default: posting is open again.
    await request(t.app).patch(`${sites}/${site}`).set(bearer(admin)).send({ settings: { requireVerifiedEmail: null } }).expect(200);
    await postComment(t.app, author, where);
  });
});

describe('the requireVerifiedEmail setting through the admin API', () => {
  it('is stored on create, refused when not a boolean, and only admins change it', async () => {
    const admin = newStaff(t.tokens, 'admin');
    const id = `verified-${randomUUID().slice(0, 8)}`;
    const created = await request(t.app).post(sites).set(bearer(admin)).send({ id, name: 'Confirmed Gazette', settings: { requireVerifiedEmail: true } }).expect(201);
    expect(created.body.site.settings).toEqual({ requireVerifiedEmail: true });
    const bad = await request(t.app).patch(`${sites}/${id}`).set(bearer(admin)).send({ settings: { requireVerifiedEmail: 'yes' } });
    expect({ status: bad.status, code: bad.body.error.code }).toEqual({ status: 400, code: 'validation_failed' });
    expect(bad.body.error.details).toEqual([expect.objectContaining({ field: 'settings.requireVerifiedEmail' })]);
    const moderator = newStaff(t.tokens);
    expect((await request(t.app).patch(`${sites}/${id}`).set(bearer(moderator)).send({ settings: { requireVerifiedEmail: false } })).status).toBe(403);
    expect((await request(t.app).patch(`${sites}/${id}`).send({ settings: { requireVerifiedEmail: false } })).status).toBe(401);
    const shown = await request(t.app).get(`${sites}/${id}`).set(bearer(admin)).expect(200);
    expect(shown.body.site.settings).toEqual({ requireVerifiedEmail: true });
  });
});
