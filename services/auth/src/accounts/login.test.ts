import request from 'supertest';
import { AuthSession } from '@parley/contracts';
import { expectError, registerUser, startTestAuth, uniqueEmail, type TestAuth } from '../test-support';

let auth: TestAuth;
beforeAll(async () => {
  auth = await startTestAuth();
});
afterAll(() => auth.close());

const login = (app: TestAuth['app'], body: unknown, ip = '192.0.2.1') =>
  request(app).post('/auth/login').set('X-Forwarded-For', ip).send(body as object);

describe('POST /auth/login', () => {
  it('returns a new session for the right password, whatever the email case and spacing', async () => {
    const user = await registerUser(auth.app);
    const response = await login(auth.app, { email: ` ${user.email.toUpperCase()} `, password: user.password });

    expect(response.status).toBe(200);
    const session = AuthSession.parse(response.body);
    expect(session.user).toEqual(user.session.user);
    expect(session.refreshToken).not.toBe(user.session.refreshToken);
    // Each login is its own session: a second refresh-token family.
    const families = await auth.db
      .selectFrom('refresh_tokens')
      .select('family_id')
      .distinct()
      .where('user_id', '=', user.session.user.id)
      .execute();
    expect(families).toHaveLength(2);
  });

  it('answers a wrong password and an unknown email with the same 401', async () => {
    const user = await registerUser(auth.app);
    const wrongPassword = expectError(await login(auth.app, { email: user.email, password: 'not the password' }), 401, 'invalid_credentials');
    const unknownEmail = expectError(await login(auth.app, { email: uniqueEmail(), password: user.password }), 401, 'invalid_credentials');
    expect(unknownEmail.message).toBe(wrongPassword.message);
  });

  it('does not let a password differing only in case log in', async () => {
    const user = await registerUser(auth.app, { password: 'Case Sensitive Pw' });
    expectError(await login(auth.app, { email: user.email, password: 'case sensitive pw' }), 401, 'invalid_credentials');
  });

  it.each([
    ['email', { password: 'whatever pw' }],
    ['password', { email: 'a@example.com' }],
    ['password', { email: 'a@example.com', password: '' }],
    ['email', { email: 42, password: 'whatever pw' }],
  ])('answers 400 naming %s for bad input', async (field, body) => {
    const error = expectError(await login(auth.app, body), 400, 'validation_failed');
    expect(error.details?.map((issue) => issue.field)).toEqual([field]);
  });

  it('rejects unknown fields', async () => {
    const error = expectError(await login(auth.app, { email: 'a@example.com', password: 'pw', remember: true }), 400, 'validation_failed');
    expect(error.details).toEqual([{ field: 'body', message: expect.stringContaining('"remember"') }]);
  });

  it('answers 400 invalid_json for malformed JSON', async () => {
    const response = await request(auth.app).post('/auth/login').set('Content-Type', 'application/json').send('{"email":');
    expectError(response, 400, 'invalid_json');
  });
});

describe('POST /auth/login rate limits', () => {
  let limited: TestAuth;
  beforeAll(async () => {
    limited = await startTestAuth({
      database: auth.database,
      env: { LOGIN_RATE_LIMIT_PER_ADDRESS_ACCOUNT: '3', LOGIN_RATE_LIMIT_PER_ACCOUNT: '4', LOGIN_RATE_LIMIT_PER_IP: '5' },
    });
  });
  afterAll(() => limited.close());

  it('limits bad attempts on one account from one address, with Retry-After, and locks out only that address', async () => {
    const user = await registerUser(limited.app);
    const home = '198.51.100.9';
    expect((await login(limited.app, { email: user.email, password: user.password }, home)).status).toBe(200);
    const attacker = '198.51.100.1';
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expectError(await login(limited.app, { email: user.email, password: 'guess guess' }, attacker), 401, 'invalid_credentials');
    }
    const blocked = await login(limited.app, { email: user.email.toUpperCase(), password: user.password }, attacker);
    expectError(blocked, 429, 'rate_limited');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(900);
    // The owner, where they usually log in, is not locked out by someone else's guesses.
    expect((await login(limited.app, { email: user.email, password: user.password }, home)).status).toBe(200);
  });

  it('bounds guessing spread over many addresses, without ever locking the owner out of a known address', async () => {
    const user = await registerUser(limited.app);
    const home = '198.51.100.10';
    expect((await login(limited.app, { email: user.email, password: user.password }, home)).status).toBe(200);
    for (let i = 0; i < 4; i += 1) {
      expectError(await login(limited.app, { email: user.email, password: 'guess guess' }, `203.0.113.${i + 1}`), 401, 'invalid_credentials');
    }
    // A fifth new address is refused even with the right password: the account's budget for new places is spent…
    expectError(await login(limited.app, { email: user.email, password: user.password }, '203.0.113.50'), 429, 'rate_limited');
    // …however long the attack goes on, the owner's known address still gets in, again and again.
    // (three rounds: the per-address budget of 5 requests caps how often one test address may log in)
    for (let i = 0; i < 3; i += 1) {
      expectError(await login(limited.app, { email: user.email, password: 'guess guess' }, `203.0.113.${i + 60}`), 429, 'rate_limited');
      expect((await login(limited.app, { email: user.email, password: user.password }, home)).status).toBe(200);
    }
  });

  it('clears an account count after a successful login', async () => {
    const user = await registerUser(limited.app);
    const ip = '198.51.100.20';
    await login(limited.app, { email: user.email, password: 'typo typo' }, ip);
    await login(limited.app, { email: user.email, password: 'typo typo' }, ip);
    expect((await login(limited.app, { email: user.email, password: user.password }, ip)).status).toBe(200);
    expect((await login(limited.app, { email: user.email, password: 'typo typo' }, '198.51.100.21')).status).toBe(401);
    expect((await login(limited.app, { email: user.email, password: user.password }, '198.51.100.21')).status).toBe(200);
  });

  it('limits attempts from one address across accounts', async () => {
    const ip = '198.51.100.30';
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await login(limited.app, { email: uniqueEmail(), password: 'spray spray' }, ip)).status).toBe(401);
    }
    const blocked = await login(limited.app, { email: uniqueEmail(), password: 'spray spray' }, ip);
    expectError(blocked, 429, 'rate_limited');
    expect(blocked.headers['retry-after']).toMatch(/^\d+$/);
    // Other addresses are unaffected.
    expect((await login(limited.app, { email: uniqueEmail(), password: 'spray spray' }, '198.51.100.31')).status).toBe(401);
  });
});
