import request from 'supertest';
import jwt from 'jsonwebtoken';
import { bearer, expectError, loginStaff, registerUser, startTestAuth, type TestAuth } from '../test-support';

let t: TestAuth;
beforeAll(async () => (t = await startTestAuth()));
afterAll(async () => t.close());

/** Parley's own origin, as the gateway passes it on: the page's Origin and the Host it called. */
const parley = { Host: 'comments.example', Origin: 'https://comments.example' };
/** A publisher's article page, where any script (ads, tags, an XSS) can read what the widget keeps. */
const publisher = { Host: 'comments.example', Origin: 'https://news.example' };

const scopeOf = (accessToken: string) => (jwt.decode(accessToken) as { scope: string }).scope;

async function staffAccount(role: 'moderator' | 'admin') {
  const user = await registerUser(t.app, { displayName: `Account ${role.length}` });
  await t.db.updateTable('users').set({ role }).where('id', '=', user.session.user.id).execute();
  return user;
}

const login = (user: { email: string; password: string }, headers: Record<string, string>) =>
  request(t.app).post('/auth/login').set(headers).send({ email: user.email, password: user.password });

describe('session scopes', () => {
  it('gives a staff account on a publisher\'s page a participant session that staff routes refuse', async () => {
    const admin = await staffAccount('admin');
    const session = await login(admin, publisher).expect(200);
    expect(scopeOf(session.body.accessToken)).toBe('participant');
    const refused = expectError(
      await request(t.app).get('/auth/users').query({ email: admin.email }).set(bearer(session.body.accessToken)),
      403,
      'staff_session_required',
    );
    expect(refused.message).toMatch(/moderator console/);
    const target = await registerUser(t.app);
    expectError(
      await request(t.app).put(`/auth/users/${target.session.user.id}/role`).set(bearer(session.body.accessToken)).send({ role: 'admin' }),
      403,
      'staff_session_required',
    );
    const role = await t.db.selectFrom('users').select('role').where('id', '=', target.session.user.id).executeTakeFirstOrThrow();
    expect(role.role).toBe('reader');
    // The participant session is a real one: the account itself is there.
    await request(t.app).get('/auth/me').set(bearer(session.body.accessToken)).expect(200);
  });

  it('gives the same account a staff session on Parley\'s own origin and from a client with no Origin', async () => {
    const admin = await staffAccount('admin');
    // With a code of the account's authenticator app (the password alone is a participant session, second-factor.test.ts).
    const console = { body: await loginStaff(t, admin, parley) };
    expect(scopeOf(console.body.accessToken)).toBe('staff');
    await request(t.app).get('/auth/users').query({ email: admin.email }).set(bearer(console.body.accessToken)).expect(200);
    const cli = { body: await loginStaff(t, admin, {}) };
    expect(scopeOf(cli.body.accessToken)).toBe('staff');
    // The same password and a good code typed on a publisher's page are still a reader's session.
    const onPage = await request(t.app).post('/auth/login').set(publisher).send({ email: admin.email, password: admin.password, code: '123456' }).expect(200);
    expect(scopeOf(onPage.body.accessToken)).toBe('participant');
  });

  it('never gives a reader a staff scope, wherever they log in', async () => {
    const reader = await registerUser(t.app);
    expect(scopeOf((await login(reader, parley).expect(200)).body.accessToken)).toBe('participant');
  });

  it('treats Origin: null and garbage as a publisher page', async () => {
    const moderator = await staffAccount('moderator');
    expect(scopeOf((await login(moderator, { Origin: 'null' }).expect(200)).body.accessToken)).toBe('participant');
    expect(scopeOf((await login(moderator, { Origin: 'not a url' }).expect(200)).body.accessToken)).toBe('participant');
  });

  it('refreshes a staff session only on Parley\'s own origin, without spending it elsewhere', async () => {
    const moderator = await staffAccount('moderator');
    const console = { body: await loginStaff(t, moderator, parley) };
    expectError(
      await request(t.app).post('/auth/refresh').set(publisher).send({ refreshToken: console.body.refreshToken }),
      403,
      'staff_session_required',
    );
    const refreshed = await request(t.app).post('/auth/refresh').set(parley).send({ refreshToken: console.body.refreshToken }).expect(200);
    expect(scopeOf(refreshed.body.accessToken)).toBe('staff');
  });

  it('keeps a publisher-page session a participant one when it is refreshed on Parley\'s origin', async () => {
    const moderator = await staffAccount('moderator');
    const widget = await login(moderator, publisher).expect(200);
    const refreshed = await request(t.app).post('/auth/refresh').set(parley).send({ refreshToken: widget.body.refreshToken }).expect(200);
    expect(scopeOf(refreshed.body.accessToken)).toBe('participant');
  });
});

describe('revoked sessions', () => {
  it('refuses the access token of a logged-out session at once, and lists the session for other services', async () => {
    const since = new Date(t.clock().getTime() - 1000).toISOString();
    const user = await registerUser(t.app);
    await request(t.app).get('/auth/me').set(bearer(user.session.accessToken)).expect(200);
    await request(t.app).post('/auth/logout').send({ refreshToken: user.session.refreshToken }).expect(204);
    expectError(await request(t.app).get('/auth/me').set(bearer(user.session.accessToken)), 401, 'session_revoked');

    const sid = (jwt.decode(user.session.accessToken) as { sid: string }).sid;
    const page = await request(t.app).get('/internal/revoked-sessions').query({ since }).expect(200);
    expect(page.body.sessions).toEqual(expect.arrayContaining([{ id: sid, revokedAt: expect.any(String) }]));
    // Asking again from `until` sends only what was revoked at or after it (the cursor is inclusive).
    const next = await request(t.app).get('/internal/revoked-sessions').query({ since: page.body.until }).expect(200);
    for (const session of next.body.sessions as { revokedAt: string }[]) expect(Date.parse(session.revokedAt)).toBeGreaterThanOrEqual(Date.parse(page.body.until));
  });

  it('lists a family revoked by refresh-token reuse', async () => {
    const since = new Date(t.clock().getTime() - 1000).toISOString();
    const user = await registerUser(t.app);
    await request(t.app).post('/auth/refresh').send({ refreshToken: user.session.refreshToken }).expect(200);
    expectError(await request(t.app).post('/auth/refresh').send({ refreshToken: user.session.refreshToken }), 401, 'refresh_token_reused');
    const sid = (jwt.decode(user.session.accessToken) as { sid: string }).sid;
    const page = await request(t.app).get('/internal/revoked-sessions').query({ since }).expect(200);
    expect(page.body.sessions.map((session: { id: string }) => session.id)).toContain(sid);
  });

  it('answers a bad `since` with 400', async () => {
    expectError(await request(t.app).get('/internal/revoked-sessions'), 400, 'validation_failed');
    expectError(await request(t.app).get('/internal/revoked-sessions').query({ since: 'yesterday' }), 400, 'validation_failed');
  });
});

describe('revoked sessions with a skewed clock', () => {
  it('never moves the cursor past now, so a revocation stamped in the future hides none after it', async () => {
    const since = new Date(t.clock().getTime() - 1000).toISOString();
    const early = await registerUser(t.app);
    // A session revoked by a node whose clock runs a day ahead.
    await t.db.updateTable('refresh_tokens').set({ revoked_at: new Date(t.clock().getTime() + 86_400_000) }).where('user_id', '=', early.session.user.id).execute();
    const page = await request(t.app).get('/internal/revoked-sessions').query({ since }).expect(200);
    expect(Date.parse(page.body.until)).toBeLessThanOrEqual(t.clock().getTime());
    const later = await registerUser(t.app);
    await request(t.app).post('/auth/logout').send({ refreshToken: later.session.refreshToken }).expect(204);
    const next = await request(t.app).get('/internal/revoked-sessions').query({ since: page.body.until }).expect(200);
    const laterSid = (jwt.decode(later.session.accessToken) as { sid: string }).sid;
    expect(next.body.sessions.map((session: { id: string }) => session.id)).toContain(laterSid);
  });
});

