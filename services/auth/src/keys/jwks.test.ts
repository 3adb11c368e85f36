import { createPublicKey } from 'node:crypto';
import request from 'supertest';
import { JwksResponse } from '@parley/contracts';
import { expectError, registerUser, startTestAuth, type TestAuth } from '../test-support';

let auth: TestAuth;
beforeAll(async () => {
  auth = await startTestAuth();
});
afterAll(() => auth.close());

describe('GET /auth/.well-known/jwks.json', () => {
  it('publishes one ES256 P-256 public key, cacheable for a few minutes', async () => {
    const response = await request(auth.app).get('/auth/.well-known/jwks.json');
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('public, max-age=300');
    const { keys } = JwksResponse.parse(response.body);
    expect(keys).toEqual([
      { kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String), kid: expect.any(String), alg: 'ES256', use: 'sig' },
    ]);
    expect(keys[0]).not.toHaveProperty('d');
  });

  it('names the key that signs access tokens, and that key verifies them', async () => {
    const user = await registerUser(auth.app);
    const { keys } = JwksResponse.parse((await request(auth.app).get('/auth/.well-known/jwks.json')).body);
    const [header] = user.session.accessToken.split('.');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toEqual({ alg: 'ES256', typ: 'JWT', kid: keys[0]!.kid });

    const jwt = await import('jsonwebtoken');
    const key = createPublicKey({ key: keys[0] as import('node:crypto').JsonWebKey, format: 'jwk' });
    const claims = jwt.default.verify(user.session.accessToken, key, {
      algorithms: ['ES256'],
      clockTimestamp: Math.floor(auth.clock().getTime() / 1000),
    });
    expect(claims).toEqual({
      sub: user.session.user.id,
      name: user.displayName,
      role: 'reader',
      // Registered without an Origin (not from a web page): a reader's session is a participant one whatever the origin.
      scope: 'participant',
      sid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      idp: 'parley',
      // Just registered: the address is not confirmed yet.
      email_verified: false,
      iss: 'parley-auth',
      aud: 'parley',
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      iat: Math.floor(auth.clock().getTime() / 1000),
      exp: Math.floor(auth.clock().getTime() / 1000) + 900,
    });
  });
});

describe('service plumbing', () => {
  it('answers /healthz and /readyz with the database check', async () => {
    expect((await request(auth.app).get('/healthz')).body).toEqual({ status: 'ok', service: 'auth' });
    const ready = await request(auth.app).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ok', service: 'auth', checks: { database: 'ok' } });
  });

  it('answers unknown routes with 404 route_not_found in the contract shape', async () => {
    expectError(await request(auth.app).get('/auth/nope'), 404, 'route_not_found');
    expectError(await request(auth.app).get('/auth/register'), 404, 'route_not_found');
  });

  it('echoes the request id and hides the framework', async () => {
    const response = await request(auth.app).get('/healthz').set('X-Request-Id', 'gateway-req-12345');
    expect(response.headers['x-request-id']).toBe('gateway-req-12345');
    expect(response.headers['x-powered-by']).toBeUndefined();
  });
});
