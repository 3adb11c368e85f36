import request from 'supertest';
import { AuthSession } from '@parley/contracts';
import { bearer, expectError, registerUser, startTestAuth, type TestAuth } from '../test-support';
import { hashRefreshToken } from './sessions.service';

let auth: TestAuth;
beforeAll(async () => {
  auth = await startTestAuth();
});
afterAll(() => auth.close());

const refresh = (refreshToken: unknown) => request(auth.app).post('/auth/refresh').send({ refreshToken });
const tokenRow = (token: string) =>
  auth.db.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', hashRefreshToken(token)).executeTakeFirstOrThrow();

describe('POST /auth/refresh', () => {
  it('rotates: a new session in the same family, the old token spent', async () => {
    const user = await registerUser(auth.app);
    const response = await refresh(user.session.refreshToken);

    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const session = AuthSession.parse(response.body);
    expect(session.user).toEqual(user.session.user);
    expect(session.refreshToken).not.toBe(user.session.refreshToken);
    expect(session.accessToken).not.toBe(user.session.accessToken);
    expect((await request(auth.app).get('/auth/me').set(bearer(session.accessToken))).status).toBe(200);

    const [old, fresh] = await Promise.all([tokenRow(user.session.refreshToken), tokenRow(session.refreshToken)]);
    expect(old.used_at).not.toBeNull();
    expect(fresh.family_id).toBe(old.family_id);
    expect(fresh.used_at).toBeNull();
  });

  it('detects reuse: the spent token fails and ends the whole family, newest token included', async () => {
    const user = await registerUser(auth.app);
    const first = AuthSession.parse((await refresh(user.session.refreshToken)).body);
    const second = AuthSession.parse((await refresh(first.refreshToken)).body);

    expectError(await refresh(user.session.refreshToken), 401, 'refresh_token_reused');
    expectError(await refresh(second.refreshToken), 401, 'invalid_refresh_token');
    expect((await tokenRow(second.refreshToken)).revoked_at).not.toBeNull();
  });

  it('leaves the sessions of other logins alone when one family is revoked', async () => {
    const user = await registerUser(auth.app);
    const other = AuthSession.parse((await request(auth.app).post('/auth/login').send({ email: user.email, password: user.password })).body);
    await refresh(user.session.refreshToken);
    await refresh(user.session.refreshToken);
    expect((await refresh(other.refreshToken)).status).toBe(200);
  });

  it('lets only one of two concurrent refreshes with the same token succeed', async () => {
    const user = await registerUser(auth.app);
    const results = await Promise.all([refresh(user.session.refreshToken), refresh(user.session.refreshToken)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
  });

  it('refuses an unknown token', async () => {
    expectError(await refresh('A'.repeat(43)), 401, 'invalid_refresh_token');
  });

  it('refuses an expired token after its 30 days', async () => {
    const user = await registerUser(auth.app);
    auth.clock.advance(30 * 24 * 3600 + 1);
    try {
      expectError(await refresh(user.session.refreshToken), 401, 'invalid_refresh_token');
    } finally {
      auth.clock.advance(-(30 * 24 * 3600 + 1));
    }
  });

  it('accepts a token one second before it expires, and the new one lives another 30 days', async () => {
    const user = await registerUser(auth.app);
    auth.clock.advance(30 * 24 * 3600 - 1);
    try {
      const session = AuthSession.parse((await refresh(user.session.refreshToken)).body);
      const row = await tokenRow(session.refreshToken);
      expect(row.expires_at.getTime() - auth.clock().getTime()).toBe(30 * 24 * 3600 * 1000);
    } finally {
      auth.clock.advance(-(30 * 24 * 3600 - 1));
    }
  });

  it('re-reads the user, so a new role or name shows in the next access token', async () => {
    const user = await registerUser(auth.app);
    await auth.db
      .updateTable('users')
      .set({ role: 'moderator', display_name: 'Renamed' })
      .where('id', '=', user.session.user.id)
      .execute();
    const session = AuthSession.parse((await refresh(user.session.refreshToken)).body);
    expect(session.user).toMatchObject({ role: 'moderator', displayName: 'Renamed' });
    const claims = JSON.parse(Buffer.from(session.accessToken.split('.')[1]!, 'base64url').toString());
    expect(claims).toMatchObject({ role: 'moderator', name: 'Renamed' });
  });

  it('refuses the token of a deleted account', async () => {
    const user = await registerUser(auth.app);
    await auth.db.deleteFrom('users').where('id', '=', user.session.user.id).execute();
    expectError(await refresh(user.session.refreshToken), 401, 'invalid_refresh_token');
  });

  it.each([
    ['missing', {}],
    ['empty', { refreshToken: '' }],
    ['not a string', { refreshToken: 12 }],
    ['too long', { refreshToken: 'x'.repeat(201) }],
  ])('answers 400 naming refreshToken when it is %s', async (_case, body) => {
    const error = expectError(await request(auth.app).post('/auth/refresh').send(body), 400, 'validation_failed');
    expect(error.details?.map((issue) => issue.field)).toEqual(['refreshToken']);
  });

  it('rejects unknown fields and invalid JSON', async () => {
    const user = await registerUser(auth.app);
    expectError(
      await request(auth.app).post('/auth/refresh').send({ refreshToken: user.session.refreshToken, userId: 'x' }),
      400,
      'validation_failed',
    );
    // The rejected request spent nothing.
    expect((await tokenRow(user.session.refreshToken)).used_at).toBeNull();
    expectError(await request(auth.app).post('/auth/refresh').set('Content-Type', 'application/json').send('{'), 400, 'invalid_json');
  });
});
