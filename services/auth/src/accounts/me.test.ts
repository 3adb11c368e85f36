import { createHmac, createPrivateKey, createPublicKey, randomUUID, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { generateSigningKeyPem, publicJwk } from '@parley/tokens';
import { bearer, expectError, registerUser, startTestAuth, type TestAuth } from '../test-support';

let auth: TestAuth;
beforeAll(async () => {
  auth = await startTestAuth();
});
afterAll(() => auth.close());

const me = (headers: Record<string, string> = {}) => request(auth.app).get('/auth/me').set(headers);

/** Claims as the service issues them, signed with whatever key and algorithm a test chooses. */
function forge(claims: Record<string, unknown>, key: KeyObject | null, options: jwt.SignOptions) {
  const now = Math.floor(auth.clock().getTime() / 1000);
  const payload = { sub: randomUUID(), name: 'Mallory', role: 'admin', scope: 'staff', sid: randomUUID(), iss: 'parley-auth', aud: 'parley', jti: randomUUID(), iat: now, exp: now + 900, ...claims };
  return key === null ? jwt.sign(payload, null, { ...options, algorithm: 'none' }) : jwt.sign(payload, key, options);
}

const ownKey = () => createPrivateKey(auth.signingKeyPem);
const ownKid = () => publicJwk(ownKey()).kid;

describe('GET /auth/me', () => {
  it('requires authentication', async () => {
    expectError(await me(), 401, 'unauthenticated');
  });

  it('returns the user behind a valid access token', async () => {
    const user = await registerUser(auth.app, { displayName: 'Me Myself' });
    const response = await me(bearer(user.session.accessToken));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ user: { id: user.session.user.id, email: user.email, displayName: 'Me Myself', role: 'reader', sites: [], emailVerified: false } });
  });

  it('answers with the current role from the database, not the token', async () => {
    const user = await registerUser(auth.app);
    await auth.db.updateTable('users').set({ role: 'moderator' }).where('id', '=', user.session.user.id).execute();
    const response = await me(bearer(user.session.accessToken));
    expect(response.body.user.role).toBe('moderator');
  });

  it('refuses the token of a deleted account', async () => {
    const user = await registerUser(auth.app);
    await auth.db.deleteFrom('users').where('id', '=', user.session.user.id).execute();
    expectError(await me(bearer(user.session.accessToken)), 401, 'invalid_token');
  });

  it.each([
    ['a non-Bearer scheme', (token: string) => `Basic ${token}`],
    ['a missing token', () => 'Bearer '],
    ['junk characters', () => 'Bearer not a token!'],
  ])('refuses a malformed Authorization header: %s', async (_case, header) => {
    const user = await registerUser(auth.app);
    expectError(await me({ Authorization: header(user.session.accessToken) }), 401, 'invalid_token');
  });

  it('refuses a token that is not a JWT', async () => {
    expectError(await me(bearer('abc.def.ghi')), 401, 'invalid_token');
  });

  it('refuses a token whose payload was tampered with', async () => {
    const user = await registerUser(auth.app);
    const [header, payload, signature] = user.session.accessToken.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const elevated = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url');
    expectError(await me(bearer(`${header}.${elevated}.${signature}`)), 401, 'invalid_token');
  });

  it('refuses an expired token', async () => {
    const user = await registerUser(auth.app);
    auth.clock.advance(901);
    try {
      expectError(await me(bearer(user.session.accessToken)), 401, 'token_expired');
    } finally {
      auth.clock.advance(-901);
    }
  });

  it('refuses an unsigned token (alg "none")', async () => {
    const user = await registerUser(auth.app);
    const token = forge({ sub: user.session.user.id }, null, { algorithm: 'none', keyid: ownKid() });
    expectError(await me(bearer(token)), 401, 'invalid_token');
  });

  it('refuses an HS256 token keyed with the public key PEM (algorithm confusion)', async () => {
    const user = await registerUser(auth.app);
    const publicPem = createPublicKey(ownKey()).export({ type: 'spki', format: 'pem' }).toString();
    // jsonwebtoken itself refuses to HMAC with an asymmetric-looking secret, so sign by hand.
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: ownKid() })).toString('base64url');
    const now = Math.floor(auth.clock().getTime() / 1000);
    const payload = Buffer.from(
      JSON.stringify({ sub: user.session.user.id, name: 'x', role: 'admin', iss: 'parley-auth', aud: 'parley', jti: randomUUID(), iat: now, exp: now + 900 }),
    ).toString('base64url');
    const signature = createHmac('sha256', publicPem).update(`${header}.${payload}`).digest('base64url');
    expectError(await me(bearer(`${header}.${payload}.${signature}`)), 401, 'invalid_token');
  });

  it('refuses a token signed by another key, even when it claims our key id', async () => {
    const user = await registerUser(auth.app);
    const otherKey = createPrivateKey(generateSigningKeyPem());
    const withOwnKid = forge({ sub: user.session.user.id }, otherKey, { algorithm: 'ES256', keyid: ownKid() });
    const withOtherKid = forge({ sub: user.session.user.id }, otherKey, { algorithm: 'ES256', keyid: publicJwk(otherKey).kid });
    expectError(await me(bearer(withOwnKid)), 401, 'invalid_token');
    expectError(await me(bearer(withOtherKid)), 401, 'invalid_token');
  });

  it.each([
    ['issuer', { iss: 'someone-else' }],
    ['audience', { aud: 'another-app' }],
  ])('refuses a correctly signed token with the wrong %s', async (_field, claims) => {
    const user = await registerUser(auth.app);
    const token = forge({ sub: user.session.user.id, ...claims }, ownKey(), { algorithm: 'ES256', keyid: ownKid() });
    expectError(await me(bearer(token)), 401, 'invalid_token');
  });

  it('accepts a token forged with its own key and right claims (the control for the cases above)', async () => {
    const user = await registerUser(auth.app);
    const token = forge({ sub: user.session.user.id }, ownKey(), { algorithm: 'ES256', keyid: ownKid() });
    expect((await me(bearer(token))).status).toBe(200);
  });
});
