import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { bearer, expectError, registerUser, startTestAuth, type TestAuth } from '../test-support';
import { unsubscribeTokens } from './unsubscribe-tokens';

let t: TestAuth;
beforeAll(async () => {
  t = await startTestAuth();
});
afterAll(() => t.close());

const notice = (recipientId: string, replyId = randomUUID()) => ({ recipientId, replyId, replierName: 'Bob', articleTitle: 'Bridges', excerpt: 'No.' });

describe('GET/PUT /auth/me/notifications', () => {
  it('requires authentication', async () => {
    expectError(await request(t.app).get('/auth/me/notifications'), 401, 'unauthenticated');
    expectError(await request(t.app).put('/auth/me/notifications').send({ replies: false }), 401, 'unauthenticated');
  });

  it('reads and changes the reply setting; rejects bad input', async () => {
    const user = await registerUser(t.app);
    await request(t.app).get('/auth/me/notifications').set(bearer(user.session.accessToken)).expect(200, { notifications: { replies: true, follows: true } });
    expectError(await request(t.app).put('/auth/me/notifications').set(bearer(user.session.accessToken)).send({ replies: 'no' }), 400, 'validation_failed');
    expectError(await request(t.app).put('/auth/me/notifications').set(bearer(user.session.accessToken)).send({ replies: false, extra: 1 }), 400, 'validation_failed');
    await request(t.app).put('/auth/me/notifications').set(bearer(user.session.accessToken)).send({ replies: false }).expect(200, { notifications: { replies: false, follows: true } });
    await request(t.app).get('/auth/me/notifications').set(bearer(user.session.accessToken)).expect(200, { notifications: { replies: false, follows: true } });
  });
});

describe('the follow and queue settings', () => {
  it('change one setting at a time; an empty change is refused', async () => {
    const user = await registerUser(t.app);
    const auth = bearer(user.session.accessToken);
    await request(t.app).put('/auth/me/notifications').set(auth).send({ follows: false }).expect(200, { notifications: { replies: true, follows: false } });
    expectError(await request(t.app).put('/auth/me/notifications').set(auth).send({}), 400, 'validation_failed');
    await request(t.app).get('/auth/me/notifications').set(auth).expect(200, { notifications: { replies: true, follows: false } });
  });

  it('offer the queue mail to staff only (403 for a reader, and nothing changes)', async () => {
    const reader = await registerUser(t.app);
    expectError(await request(t.app).put('/auth/me/notifications').set(bearer(reader.session.accessToken)).send({ queue: true, replies: false }), 403, 'forbidden');
    await request(t.app).get('/auth/me/notifications').set(bearer(reader.session.accessToken)).expect(200, { notifications: { replies: true, follows: true } });

    const moderator = await registerUser(t.app);
    await t.db.updateTable('users').set({ role: 'moderator' }).where('id', '=', moderator.session.user.id).execute();
    const auth = bearer(moderator.session.accessToken);
    await request(t.app).get('/auth/me/notifications').set(auth).expect(200, { notifications: { replies: true, follows: true, queue: false } });
    await request(t.app).put('/auth/me/notifications').set(auth).send({ queue: true }).expect(200, { notifications: { replies: true, follows: true, queue: true } });
  });
});

const digest = (recipientId: string, digestKey = `${randomUUID()}:${Date.now()}`) => ({
  recipientId,
  digestKey,
  articleTitle: 'Harbour <works> & "dredging"',
  articleUrl: 'https://news.example/harbour',
  comments: [
    { authorName: 'Ann', excerpt: 'It needs <b>dredging</b>.' },
    { authorName: 'Bob', excerpt: 'It was done in 2019.' },
  ],
  more: 3,
});

describe('POST /internal/notifications/digest', () => {
  it('rejects bad input', async () => {
    expectError(await request(t.app).post('/internal/notifications/digest').send({ recipientId: 'nope' }), 400, 'validation_failed');
    const user = await registerUser(t.app);
    expectError(await request(t.app).post('/internal/notifications/digest').send({ ...digest(user.session.user.id), comments: [] }), 400, 'validation_failed');
    expectError(await request(t.app).post('/internal/notifications/digest').send({ ...digest(user.session.user.id), digestKey: 'a b' }), 400, 'validation_failed');
  });

  it('queues one mail per batch, to a confirmed address of a reader who wants it, escaped, with a one-click unsubscribe', async () => {
    const user = await registerUser(t.app);
    const id = user.session.user.id;
    expect((await request(t.app).post('/internal/notifications/digest').send(digest(id)).expect(200)).body).toEqual({ outcome: 'no_address' });
    await t.db.updateTable('users').set({ email_verified_at: new Date() }).where('id', '=', id).execute();
    const once = digest(id);
    expect((await request(t.app).post('/internal/notifications/digest').send(once).expect(202)).body).toEqual({ outcome: 'queued' });
    expect((await request(t.app).post('/internal/notifications/digest').send(once).expect(200)).body).toEqual({ outcome: 'duplicate' });
    const rows = await t.db.selectFrom('mail_outbox').selectAll().where('to_address', '=', user.email).where('kind', '=', 'follow_digest').execute();
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.headers).toEqual({ 'List-Unsubscribe': expect.stringMatching(/^<http.*\/auth\/pages\/unsubscribe\?token=.+\.follows\..+>$/), 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' });
    expect(row.subject).toBe('New comments on “Harbour <works> & "dredging"”');
    expect(row.text_body).toContain('Ann wrote:\n> It needs <b>dredging</b>.');
    expect(row.text_body).toContain('…and 3 more.');
    expect(row.html_body).toContain('It needs &lt;b&gt;dredging&lt;/b&gt;.');
    expect(row.html_body).not.toContain('<b>dredging');
    expect(row.html_body).toContain('Harbour &lt;works&gt; &amp; &quot;dredging&quot;');

    await t.db.updateTable('users').set({ notify_follows: false }).where('id', '=', id).execute();
    expect((await request(t.app).post('/internal/notifications/digest').send(digest(id)).expect(200)).body).toEqual({ outcome: 'not_wanted' });
    expect((await request(t.app).post('/internal/notifications/digest').send(digest(randomUUID())).expect(200)).body).toEqual({ outcome: 'unknown_user' });
  });
});

describe('POST /internal/notifications/queue', () => {
  it('rejects bad input', async () => {
    expectError(await request(t.app).post('/internal/notifications/queue').send({ windowKey: '1', sites: [] }), 400, 'validation_failed');
    expectError(await request(t.app).post('/internal/notifications/queue').send({ windowKey: '1', sites: [{ siteId: 's', siteName: 'S', newItems: 0 }] }), 400, 'validation_failed');
  });

  it('mails each opted-in staff member once per window about the sites they moderate', async () => {
    const [siteA, siteB] = [`site-${randomUUID()}`, `site-${randomUUID()}`];
    const staff = async (role: 'moderator' | 'admin', sites: string[], notify: boolean) => {
      const user = await registerUser(t.app);
      await t.db
        .updateTable('users')
        .set({ role, moderated_sites: sites, notify_queue: notify, email_verified_at: new Date() })
        .where('id', '=', user.session.user.id)
        .execute();
      return user;
    };
    const modA = await staff('moderator', [siteA], true);
    // Another site's moderator, and one of this site who did not opt in: no mail.
    await staff('moderator', [siteB], true);
    await staff('moderator', [siteA], false);
    const admin = await staff('admin', [], true);
    const reader = await registerUser(t.app);
    await t.db.updateTable('users').set({ notify_queue: true, email_verified_at: new Date() }).where('id', '=', reader.session.user.id).execute();

    const windowKey = String(Date.now());
    const body = { windowKey, sites: [{ siteId: siteA, siteName: 'The <Courier>', newItems: 3 }] };
    await request(t.app).post('/internal/notifications/queue').send(body).expect(202);
    await request(t.app).post('/internal/notifications/queue').send(body).expect(202, { queued: 0 });
    const mails = await t.db.selectFrom('mail_outbox').selectAll().where('kind', '=', 'queue_digest').where('dedupe_key', 'like', `queue:%:${windowKey}`).execute();
    expect(mails.map((mail) => mail.to_address).sort()).toEqual([modA.email, admin.email].sort());
    const mail = mails.find((one) => one.to_address === modA.email)!;
    expect(mail.subject).toBe('New items in your moderation queue');
    expect(mail.text_body).toContain('The <Courier>: 3 new');
    expect(mail.text_body).toMatch(/Open the moderation console: http\S+\/moderate\n/);
    expect(mail.html_body).toContain('The &lt;Courier&gt;: 3 new');
    expect(mail.headers).toEqual({ 'List-Unsubscribe': expect.stringMatching(/\.queue\./), 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' });
  });
});

describe('POST /internal/notifications/reply', () => {
  it('rejects bad input', async () => {
    expectError(await request(t.app).post('/internal/notifications/reply').send({ recipientId: 'nope' }), 400, 'validation_failed');
  });

  it('queues one mail per reply for a confirmed address, none otherwise', async () => {
    const user = await registerUser(t.app);
    expect((await request(t.app).post('/internal/notifications/reply').send(notice(user.session.user.id)).expect(200)).body).toEqual({ outcome: 'no_address' });
    await t.db.updateTable('users').set({ email_verified_at: new Date() }).where('id', '=', user.session.user.id).execute();
    const once = notice(user.session.user.id);
    expect((await request(t.app).post('/internal/notifications/reply').send(once).expect(202)).body).toEqual({ outcome: 'queued' });
    expect((await request(t.app).post('/internal/notifications/reply').send(once).expect(200)).body).toEqual({ outcome: 'duplicate' });
    const rows = await t.db.selectFrom('mail_outbox').select(['kind', 'headers']).where('to_address', '=', user.email).where('kind', '=', 'reply').execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.headers).toEqual({ 'List-Unsubscribe': expect.stringMatching(/^<http.*\/auth\/pages\/unsubscribe\?token=.+>$/), 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' });
    expect((await request(t.app).post('/internal/notifications/reply').send(notice(randomUUID())).expect(200)).body).toEqual({ outcome: 'unknown_user' });
  });
});

describe('unsubscribe links', () => {
  it('are signed per user and topic', () => {
    const tokens = unsubscribeTokens(t.signingKeyPem);
    const id = randomUUID();
    const token = tokens.sign(id, 'replies');
    expect(tokens.verify(token)).toEqual({ userId: id, topic: 'replies' });
    expect(tokens.verify(token.replace(id, randomUUID()))).toBeUndefined();
    expect(tokens.verify(`${token}x`)).toBeUndefined();
    expect(tokens.verify(token.replace('.replies.', '.everything.'))).toBeUndefined();
    expect(unsubscribeTokens('another key').verify(token)).toBeUndefined();
  });

  it('ask first on GET, and unsubscribe on POST', async () => {
    const user = await registerUser(t.app);
    const token = unsubscribeTokens(t.signingKeyPem).sign(user.session.user.id, 'replies');
    const ask = await request(t.app).get(`/auth/pages/unsubscribe?token=${encodeURIComponent(token)}`).expect(200);
    expect(ask.text).toContain('<form method="post"');
    await request(t.app).get('/auth/me/notifications').set(bearer(user.session.accessToken)).expect(200, { notifications: { replies: true, follows: true } });
    await request(t.app).post(`/auth/pages/unsubscribe?token=${encodeURIComponent(token)}`).type('form').send('List-Unsubscribe=One-Click').expect(200);
    await request(t.app).get('/auth/me/notifications').set(bearer(user.session.accessToken)).expect(200, { notifications: { replies: false, follows: true } });
  });

  it('for followed discussions turn off only the digests, in the account’s language', async () => {
    const user = await registerUser(t.app);
    await t.db.updateTable('users').set({ locale: 'ru' }).where('id', '=', user.session.user.id).execute();
    const token = unsubscribeTokens(t.signingKeyPem).sign(user.session.user.id, 'follows');
    const ask = await request(t.app).get(`/auth/pages/unsubscribe?token=${encodeURIComponent(token)}`).expect(200);
    expect(ask.text).toContain('Больше не присылать сводки обсуждений, за которыми я слежу?');
    const done = await request(t.app).post(`/auth/pages/unsubscribe?token=${encodeURIComponent(token)}`).type('form').send('List-Unsubscribe=One-Click').expect(200);
    expect(done.text).toContain('писем об обсуждениях, за которыми вы следите, больше не будет');
    await request(t.app).get('/auth/me/notifications').set(bearer(user.session.accessToken)).expect(200, { notifications: { replies: true, follows: false } });
  });
});
