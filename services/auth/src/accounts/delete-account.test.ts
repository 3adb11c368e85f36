import request from 'supertest';
import { bearer, expectError, registerUser, startTestAuth, type TestAuth } from '../test-support';

let t: TestAuth;
beforeAll(async () => {
  t = await startTestAuth();
});
afterAll(() => t.close());

describe('DELETE /auth/me', () => {
  it('requires authentication', async () => {
    expectError(await request(t.app).delete('/auth/me').send({}), 401, 'unauthenticated');
  });

  it('needs the password of a Parley account; a wrong one changes nothing', async () => {
    const user = await registerUser(t.app);
    expectError(await request(t.app).delete('/auth/me').set(bearer(user.session.accessToken)).send({}), 401, 'invalid_credentials');
    expectError(await request(t.app).delete('/auth/me').set(bearer(user.session.accessToken)).send({ password: 'wrong password' }), 401, 'invalid_credentials');
    expectError(await request(t.app).delete('/auth/me').set(bearer(user.session.accessToken)).send({ password: 5 }), 400, 'validation_failed');
    await request(t.app).post('/auth/login').send({ email: user.email, password: user.password }).expect(200);
  });

  it('ends every session and keeps nothing but the id', async () => {
    const user = await registerUser(t.app, { displayName: 'Leaving Soon' });
    await request(t.app).delete('/auth/me').set(bearer(user.session.accessToken)).send({ password: user.password }).expect(204);
    expectError(await request(t.app).post('/auth/refresh').send({ refreshToken: user.session.refreshToken }), 401, 'invalid_refresh_token');
    expectError(await request(t.app).get('/auth/me').set(bearer(user.session.accessToken)), 401, 'session_revoked');
    expectError(await request(t.app).post('/auth/login').send({ email: user.email, password: user.password }), 401, 'invalid_credentials');
    const row = await t.db.selectFrom('users').selectAll().where('id', '=', user.session.user.id).executeTakeFirstOrThrow();
    expect(row).toEqual(expect.objectContaining({ email_normalized: null, password_hash: null, display_name: 'Deleted account', identity_issuer: 'deleted', notify_replies: false }));
    expect(row.email).not.toContain(user.email);
    // The address is free again.
    await request(t.app).post('/auth/register').send({ email: user.email, password: 'another good passphrase', displayName: 'Back Again' }).expect(201);
  });
});
