import { decodeJwt } from 'jose';
import request from 'supertest';
import { SsoKeyCreated } from '@parley/contracts';
import type { TestDatabase } from '@parley/db';
import { startTestSmtpServer, type TestSmtpServer } from '@parley/mail/testing';
import { accountWithRole, newSite, readerClaims, secretKey, signToken } from '../sso/sso-test-support';
import { bearer, expectError, openOwnDatabase, registerUser, startTestAuth, type TestAuth } from '../test-support';

/** "My account" in the widget: a reader changes their display name and their password (issue 16). */
let t: TestAuth;
let smtp: TestSmtpServer;
let database: TestDatabase;
beforeAll(async () => {
  smtp = await startTestSmtpServer();
  database = await openOwnDatabase();
  t = await startTestAuth({ database, env: { SMTP_URL: smtp.url, MAIL_POLL_INTERVAL_MS: '600000', LOGIN_RATE_LIMIT_PER_ADDRESS_ACCOUNT: '3', SSO_RATE_LIMIT_PER_IP: '10000' } });
});
afterAll(async () => {
  await t.close();
  await database.close();
  await smtp.stop();
});

const rename = (token: string | undefined, body: unknown) => {
  const call = request(t.app).patch('/auth/me');
  if (token) call.set(bearer(token));
  return call.send(body as object);
};
const changePassword = (token: string | undefined, body: unknown) => {
  const call = request(t.app).post('/auth/me/password');
  if (token) call.set(bearer(token));
  return call.send(body as object);
};
const nameOf = async (id: string) => (await t.db.selectFrom('users').select('display_name').where('id', '=', id).executeTakeFirstOrThrow()).display_name;
const login = (email: string, password: string) => request(t.app).post('/auth/login').send({ email, password });

/** A reader a publisher's sign-on created: name from the publisher, no password. */
async function publisherReader() {
  const admin = await accountWithRole(t, 'admin');
  const site = newSite(t);
  const created = await request(t.app).post(`/auth/admin/sites/${site}/sso-keys`).set(bearer(admin.token)).send({ kind: 'secret', kid: 'k1' }).expect(201);
  const secret = SsoKeyCreated.parse(created.body).secret!;
  const token = await signToken(readerClaims(t), secretKey(secret), { alg: 'HS256', kid: 'k1' });
  const session = await request(t.app).post('/auth/sso').set('Origin', 'https://news.example.com').send({ site, token }).expect(200);
  return { id: session.body.user.id as string, accessToken: session.body.accessToken as string };
}

describe('PATCH /auth/me (display name)', () => {
  it('requires authentication', async () => {
    expectError(await rename(undefined, { displayName: 'New Name' }), 401, 'unauthenticated');
  });

  it('renames the account; tokens carry the new name from the next refresh', async () => {
    const user = await registerUser(t.app, { displayName: 'Old Name' });
    const response = await rename(user.session.accessToken, { displayName: '  Ada Lovelace ' }).expect(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body.user).toEqual(expect.objectContaining({ id: user.session.user.id, displayName: 'Ada Lovelace' }));
    expect((await request(t.app).get('/auth/me').set(bearer(user.session.accessToken)).expect(200)).body.user.displayName).toBe('Ada Lovelace');
    const refreshed = await request(t.app).post('/auth/refresh').send({ refreshToken: user.session.refreshToken }).expect(200);
    expect(decodeJwt(refreshed.body.accessToken).name).toBe('Ada Lovelace');
  });

  it.each([
    ['empty', { displayName: '   ' }],
    ['too long', { displayName: 'x'.repeat(51) }],
    ['invisible characters', { displayName: 'Ada\u200bLovelace' }],
    ['a staff title', { displayName: 'Site Moderator' }],
    ['a disguised staff title', { displayName: 'Ａdmin' }],
    ['missing', {}],
    ['with other fields', { displayName: 'Fine Name', role: 'admin' }],
  ])('refuses a bad name (%s) with 400 and changes nothing', async (_case, body) => {
    const user = await registerUser(t.app, { displayName: 'Kept Name' });
    const error = expectError(await rename(user.session.accessToken, body), 400, 'validation_failed');
    expect(error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: expect.any(String) })]));
    expect(await nameOf(user.session.user.id)).toBe('Kept Name');
  });

  it('lets staff keep titles (admins name them)', async () => {
    const user = await registerUser(t.app);
    await t.db.updateTable('users').set({ role: 'admin' }).where('id', '=', user.session.user.id).execute();
    await rename(user.session.accessToken, { displayName: 'The Admin' }).expect(200);
  });

  it('refuses a publisher’s reader: the name is the publisher’s', async () => {
    const reader = await publisherReader();
    expectError(await rename(reader.accessToken, { displayName: 'Someone Else' }), 403, 'managed_by_publisher');
    expect(await nameOf(reader.id)).toBe('Ada Subscriber');
  });
});

describe('POST /auth/me/password', () => {
  it('requires authentication', async () => {
    expectError(await changePassword(undefined, { currentPassword: 'x', newPassword: 'a new good passphrase' }), 401, 'unauthenticated');
  });

  it.each([
    ['too short', { newPassword: 'short' }],
    ['a common password', { newPassword: 'password123' }],
    ['no current password', { currentPassword: '' }],
  ])('refuses %s with 400 and keeps the old password', async (_case, overrides) => {
    const user = await registerUser(t.app);
    const error = expectError(await changePassword(user.session.accessToken, { currentPassword: user.password, newPassword: 'a new good passphrase', ...overrides }), 400, 'validation_failed');
    expect(error.details?.[0]?.field).toBe('newPassword' in overrides ? 'newPassword' : 'currentPassword');
    await login(user.email, user.password).expect(200);
  });

  it('refuses a wrong current password with 403 wrong_password; nothing changes', async () => {
    const user = await registerUser(t.app);
    expectError(await changePassword(user.session.accessToken, { currentPassword: 'not my password', newPassword: 'a new good passphrase' }), 403, 'wrong_password');
    await login(user.email, user.password).expect(200);
    expectError(await login(user.email, 'a new good passphrase'), 401, 'invalid_credentials');
  });

  it('changes it: this session goes on, the others end, the old password stops working, and a notice is mailed', async () => {
    const user = await registerUser(t.app, { displayName: 'Careful Reader' });
    const elsewhere = (await login(user.email, user.password).expect(200)).body as { accessToken: string; refreshToken: string };
    await changePassword(user.session.accessToken, { currentPassword: user.password, newPassword: 'a new good passphrase' }).expect(204);

    // The session that changed it still works, and refreshes.
    await request(t.app).get('/auth/me').set(bearer(user.session.accessToken)).expect(200);
    await request(t.app).post('/auth/refresh').send({ refreshToken: user.session.refreshToken }).expect(200);
    // The other one is over.
    expectError(await request(t.app).get('/auth/me').set(bearer(elsewhere.accessToken)), 401, 'session_revoked');
    expectError(await request(t.app).post('/auth/refresh').send({ refreshToken: elsewhere.refreshToken }), 401, 'invalid_refresh_token');

    expectError(await login(user.email, user.password), 401, 'invalid_credentials');
    await login(user.email, 'a new good passphrase').expect(200);

    const notice = smtp.waitFor((mail) => mail.envelope.to.includes(user.email) && mail.parsed.subject === 'Your password was changed');
    await t.mailer.flush();
    expect((await notice).parsed.text).toContain('every other session was logged out');
  });

  it('refuses a publisher’s reader, who has no password', async () => {
    const reader = await publisherReader();
    expectError(await changePassword(reader.accessToken, { currentPassword: 'anything at all', newPassword: 'a new good passphrase' }), 403, 'managed_by_publisher');
  });

  it('counts wrong current passwords per account: past the budget even the right one waits (429)', async () => {
    const user = await registerUser(t.app);
    for (let i = 0; i < 3; i++) {
      expectError(await changePassword(user.session.accessToken, { currentPassword: `guess number ${i}`, newPassword: 'a new good passphrase' }), 403, 'wrong_password');
    }
    const limited = await changePassword(user.session.accessToken, { currentPassword: user.password, newPassword: 'a new good passphrase' });
    expectError(limited, 429, 'rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    await login(user.email, user.password).expect(200);
  });
});

describe('renames are limited per account', () => {
  let limited: TestAuth;
  beforeAll(async () => {
    limited = await startTestAuth({ env: { REGISTER_RATE_LIMIT_PER_IP: '3' } });
  });
  afterAll(() => limited.close());

  it('answers 429 past the budget and keeps the last name', async () => {
    const user = await registerUser(limited.app);
    for (const name of ['Name One', 'Name Two']) await request(limited.app).patch('/auth/me').set(bearer(user.session.accessToken)).send({ displayName: name }).expect(200);
    await request(limited.app).patch('/auth/me').set(bearer(user.session.accessToken)).send({ displayName: 'Name Three' }).expect(200);
    expectError(await request(limited.app).patch('/auth/me').set(bearer(user.session.accessToken)).send({ displayName: 'Name Four' }), 429, 'rate_limited');
    expect((await request(limited.app).get('/auth/me').set(bearer(user.session.accessToken))).body.user.displayName).toBe('Name Three');
  });
});
