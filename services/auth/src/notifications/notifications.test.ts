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
    await request(t.app).get('/auth/me/notifications').set(bearer(user.session.accessToken)).expect(200, { notifications: { replies: true } });
    expectError(await request(t.app).put('/auth/me/notifications').set(bearer(user.session.accessToken)).send({ replies: 'no' }), 400, 'validation_failed');
    expectError(await request(t.app).put('/auth/me/notifications').set(bearer(user.session.accessToken)).send({ replies: false, extra: 1 }), 400, 'validation_failed');
    await request(t.app).put('/auth/me/notifications').set(bearer(user.session.accessToken)).send({ replies: false }).expect(200, { notifications: { replies: false } });
    await request(t.app).get('/auth/me/notifications').set(bearer(user.session.accessToken)).expect(200, { notifications: { replies: false } });
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
    await request(t.app).get('/auth/me/notifications').set(bearer(user.session.accessToken)).expect(200, { notifications: { replies: true } });
    await request(t.app).post(`/auth/pages/unsubscribe?token=${encodeURIComponent(token)}`).type('form').send('List-Unsubscribe=One-Click').expect(200);
    await request(t.app).get('/auth/me/notifications').set(bearer(user.session.accessToken)).expect(200, { notifications: { replies: false } });
  });
});
