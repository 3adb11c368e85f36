import request from 'supertest';
import { AuthSession } from '@parley/contracts';
import { expectError, registerUser, startTestAuth, uniqueEmail, type TestAuth } from '../test-support';

let auth: TestAuth;
beforeAll(async () => {
  auth = await startTestAuth({ env: { REGISTER_RATE_LIMIT_PER_IP: '1000' } });
});
afterAll(() => auth.close());

const register = (body: unknown) => request(auth.app).post('/auth/register').send(body as object);
const usersWithEmail = (email: string) =>
  auth.db.selectFrom('users').select('id').where('email_normalized', '=', email.trim().toLowerCase()).execute();

describe('POST /auth/register', () => {
  it('creates a reader account and returns a session', async () => {
    const email = uniqueEmail('New.Reader');
    const response = await register({ email: `  ${email} `, password: 'long enough pw', displayName: '  Ann Reader ' });

    expect(response.status).toBe(201);
    expect(response.headers['cache-control']).toBe('no-store');
    const session = AuthSession.parse(response.body);
    expect(session.user).toEqual({ id: expect.any(String), email, displayName: 'Ann Reader', role: 'reader', sites: [], emailVerified: false });
    expect(session.expiresIn).toBe(900);
    expect(session.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('stores the password only as an argon2id hash with the pinned parameters', async () => {
    const user = await registerUser(auth.app);
    const row = await auth.db.selectFrom('users').selectAll().where('id', '=', user.session.user.id).executeTakeFirstOrThrow();
    expect(row.password_hash?.startsWith('$argon2id$v=19$m=19456,t=2,p=1$')).toBe(true);
    expect(row.password_hash).not.toContain(user.password);
  });

  it('stores the refresh token only as a hash', async () => {
    const user = await registerUser(auth.app);
    const tokens = await auth.db.selectFrom('refresh_tokens').selectAll().where('user_id', '=', user.session.user.id).execute();
    expect(tokens).toHaveLength(1);
    expect(tokens[0]!.token_hash).not.toBe(user.session.refreshToken);
    expect(tokens[0]!.expires_at.getTime() - auth.clock().getTime()).toBe(30 * 24 * 3600 * 1000);
  });

  it('refuses an email that exists in another case with 409 email_taken', async () => {
    const user = await registerUser(auth.app);
    const response = await register({ email: user.email.toUpperCase(), password: 'another password', displayName: 'Copycat' });
    expectError(response, 409, 'email_taken');
    expect(await usersWithEmail(user.email)).toHaveLength(1);
  });

  it.each([
    ['email', { email: 'not-an-email' }],
    ['email', { email: `${'a'.repeat(250)}@example.com` }],
    ['password', { password: 'short' }],
    ['password', { password: 'nine char' }],
    ['password', { password: 'password1234' }],
    ['password', { password: 'Qwertyuiop' }],
    ['password', { password: 'x'.repeat(257) }],
    ['displayName', { displayName: '   ' }],
    ['displayName', { displayName: 'n'.repeat(51) }],
    ['displayName', { displayName: 'Admin\u202e' }],
    ['displayName', { displayName: '\u200b\u200b' }],
  ])('answers 400 naming %s and writes nothing', async (field, override) => {
    const body = { email: uniqueEmail(), password: 'long enough pw', displayName: 'Someone', ...override };
    const error = expectError(await register(body), 400, 'validation_failed');
    expect(error.details?.length).toBeGreaterThan(0);
    expect(new Set(error.details?.map((issue) => issue.field))).toEqual(new Set([field]));
    expect(await usersWithEmail(String(body.email))).toHaveLength(0);
  });

  it('names every missing field', async () => {
    const error = expectError(await register({}), 400, 'validation_failed');
    expect(error.details?.map((issue) => issue.field).sort()).toEqual(['displayName', 'email', 'password']);
  });

  it('accepts a 50-character display name counted in characters, not UTF-16 units', async () => {
    await expect(registerUser(auth.app, { displayName: '😀'.repeat(50) })).resolves.toBeDefined();
  });

  it('rejects unknown fields such as a self-assigned role', async () => {
    const email = uniqueEmail();
    const error = expectError(
      await register({ email, password: 'long enough pw', displayName: 'Sneaky', role: 'admin' }),
      400,
      'validation_failed',
    );
    expect(error.details).toEqual([{ field: 'body', message: expect.stringContaining('"role"') }]);
    expect(await usersWithEmail(email)).toHaveLength(0);
  });

  it('answers 400 invalid_json for a body that is not JSON', async () => {
    const response = await request(auth.app)
      .post('/auth/register')
      .set('Content-Type', 'application/json')
      .send('{"email": "a@example.com",');
    expectError(response, 400, 'invalid_json');
  });

  it('answers 400 for a JSON body that is not an object', async () => {
    const response = await request(auth.app).post('/auth/register').set('Content-Type', 'application/json').send('[]');
    expectError(response, 400, 'validation_failed');
  });
});

describe('display names that imitate staff', () => {
  it.each(['Moderator', 'The Admin', 'Parley Team', 'Mоderatоr', 'ST4FF'])('refuses %s with 400 naming displayName and writes nothing', async (displayName) => {
    const email = uniqueEmail();
    const error = expectError(await register({ email, password: 'long enough pw', displayName }), 400, 'validation_failed');
    expect(error.details).toEqual([{ field: 'displayName', message: expect.stringContaining('staff title') }]);
    expect(await usersWithEmail(email)).toHaveLength(0);
  });

  it('accepts names that merely contain those letters', async () => {
    await expect(registerUser(auth.app, { displayName: 'Staffordshire Badminton Fan' })).resolves.toBeDefined();
  });
});

describe('POST /auth/register rate limit', () => {
  let limited: TestAuth;
  beforeAll(async () => {
    limited = await startTestAuth({ env: { REGISTER_RATE_LIMIT_PER_IP: '2' } });
  });
  afterAll(() => limited.close());

  it('answers 429 with Retry-After once an address has registered too often', async () => {
    const from = (ip: string) =>
      request(limited.app)
        .post('/auth/register')
        .set('X-Forwarded-For', ip)
        .send({ email: uniqueEmail(), password: 'long enough pw', displayName: 'Bot' });

    expect((await from('203.0.113.7')).status).toBe(201);
    expect((await from('203.0.113.7')).status).toBe(201);
    const blocked = await from('203.0.113.7');
    expectError(blocked, 429, 'rate_limited');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(3600);
    // Another client address has its own budget.
    expect((await from('198.51.100.9')).status).toBe(201);
  });
});

describe('password rules', () => {
  it('says what to fix for a short or common password, in the contract shape', async () => {
    const short = expectError(
      await request(auth.app).post('/auth/register').send({ email: uniqueEmail(), password: 'abc123xyz', displayName: 'Short' }),
      400,
      'validation_failed',
    );
    expect(short.details).toEqual([{ field: 'password', message: 'must be at least 10 characters' }]);
    const common = expectError(
      await request(auth.app).post('/auth/register').send({ email: uniqueEmail(), password: 'iloveyou12', displayName: 'Common' }),
      400,
      'validation_failed',
    );
    expect(common.details).toEqual([{ field: 'password', message: 'is one of the most common passwords; choose one that is harder to guess' }]);
  });
});
