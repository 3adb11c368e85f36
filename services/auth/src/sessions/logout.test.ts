import request from 'supertest';
import { AuthSession } from '@parley/contracts';
import { expectError, registerUser, startTestAuth, type TestAuth } from '../test-support';

let auth: TestAuth;
beforeAll(async () => {
  auth = await startTestAuth();
});
afterAll(() => auth.close());

const logout = (body: unknown) => request(auth.app).post('/auth/logout').send(body as object);
const refresh = (refreshToken: string) => request(auth.app).post('/auth/refresh').send({ refreshToken });

describe('POST /auth/logout', () => {
  it('answers 204 and ends the session: its refresh token no longer works', async () => {
    const user = await registerUser(auth.app);
    const response = await logout({ refreshToken: user.session.refreshToken });
    expect(response.status).toBe(204);
    expect(response.text).toBe('');
    expectError(await refresh(user.session.refreshToken), 401, 'invalid_refresh_token');
  });

  it('ends the whole family, so a token rotated from the same login is dead too', async () => {
    const user = await registerUser(auth.app);
    const rotated = AuthSession.parse((await refresh(user.session.refreshToken)).body);
    // Logging out with the older, already spent token still finds the login it belongs to.
    expect((await logout({ refreshToken: user.session.refreshToken })).status).toBe(204);
    expectError(await refresh(rotated.refreshToken), 401, 'invalid_refresh_token');
  });

  it('leaves other logins of the same user working', async () => {
    const user = await registerUser(auth.app);
    const other = AuthSession.parse((await request(auth.app).post('/auth/login').send({ email: user.email, password: user.password })).body);
    await logout({ refreshToken: user.session.refreshToken });
    expect((await refresh(other.refreshToken)).status).toBe(200);
  });

  it('answers 204 for an unknown token, and twice for the same one', async () => {
    expect((await logout({ refreshToken: 'never-issued' })).status).toBe(204);
    const user = await registerUser(auth.app);
    expect((await logout({ refreshToken: user.session.refreshToken })).status).toBe(204);
    expect((await logout({ refreshToken: user.session.refreshToken })).status).toBe(204);
  });

  it('answers 400 naming refreshToken for bad input, and rejects unknown fields', async () => {
    const missing = expectError(await logout({}), 400, 'validation_failed');
    expect(missing.details).toEqual([{ field: 'refreshToken', message: 'is required' }]);
    const extra = expectError(await logout({ refreshToken: 'x', everywhere: true }), 400, 'validation_failed');
    expect(extra.details).toEqual([{ field: 'body', message: expect.stringContaining('"everywhere"') }]);
  });

  it('answers 400 invalid_json for malformed JSON', async () => {
    const response = await request(auth.app).post('/auth/logout').set('Content-Type', 'application/json').send('nope');
    expectError(response, 400, 'invalid_json');
  });
});
