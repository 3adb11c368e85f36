import { createHmac } from 'node:crypto';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWTPayload, type KeyLike } from 'jose';
import type { AppError } from '@parley/platform';
import type { ProviderMetadata } from './discovery';
import { profileFromClaims, verifyIdToken } from './id-token';

/**
 * The id token checks on their own, with keys made here: the shapes a real provider never sends
 * (another audience, a stale nonce, `alg: none`, an HMAC keyed with the public key) are signed
 * by hand. The happy path and the flow run against a real provider in oidc.test.ts.
 */
const issuer = 'https://id.gazette.test';
const clientId = 'parley-client';
const nonce = 'the-nonce';
const now = new Date('2026-12-01T12:00:00Z');
const seconds = Math.floor(now.getTime() / 1000);

let rsa: { privateKey: KeyLike; publicKey: KeyLike };
let es: { privateKey: KeyLike; publicKey: KeyLike };
let publicRsaJwk: Record<string, unknown>;
let keys: ReturnType<typeof createLocalJWKSet>;
const metadata = (algorithms = ['RS256']): ProviderMetadata => ({
  issuer,
  authorizationEndpoint: `${issuer}/auth`,
  tokenEndpoint: `${issuer}/token`,
  jwksUri: `${issuer}/jwks`,
  algorithms,
  tokenAuth: 'client_secret_basic',
});

beforeAll(async () => {
  rsa = await generateKeyPair('RS256');
  es = await generateKeyPair('ES256');
  publicRsaJwk = { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1' };
  keys = createLocalJWKSet({ keys: [publicRsaJwk as never, { ...(await exportJWK(es.publicKey)), kid: 'ec-1' } as never] });
});

const claims = (overrides: JWTPayload = {}): JWTPayload => ({ iss: issuer, aud: clientId, sub: 'ada', nonce, iat: seconds, exp: seconds + 300, ...overrides });
const sign = (payload: JWTPayload, alg = 'RS256', kid = 'rsa-1') =>
  new SignJWT(payload).setProtectedHeader({ alg, kid }).sign(alg === 'ES256' ? es.privateKey : rsa.privateKey);
const verify = (token: string, algorithms?: string[]) => verifyIdToken(token, { metadata: metadata(algorithms), clientId, nonce, keys, now });

async function refusal(token: Promise<string> | string, algorithms?: string[]): Promise<string> {
  const error = (await verify(await token, algorithms).then(
    () => undefined,
    (e: unknown) => e,
  )) as AppError | undefined;
  if (!error) throw new Error('the id token was accepted');
  expect({ status: error.status, code: error.code }).toEqual({ status: 401, code: 'oidc_id_token_invalid' });
  return error.message;
}

describe('verifyIdToken', () => {
  it('accepts a token from the provider, for this client, with this login\'s nonce', async () => {
    expect((await verify(await sign(claims()))).sub).toBe('ada');
    expect((await verify(await sign(claims(), 'ES256', 'ec-1'), ['RS256', 'ES256'])).sub).toBe('ada');
  });

  it('refuses another issuer, another audience, a foreign azp, a wrong or missing nonce, an expired token', async () => {
    expect(await refusal(sign(claims({ iss: 'https://evil.test' })))).toMatch(/iss/);
    expect(await refusal(sign(claims({ aud: 'another-client' })))).toMatch(/aud/);
    expect(await refusal(sign(claims({ aud: [clientId, 'another'], azp: 'another' })))).toMatch(/azp|audiences/);
    expect(await refusal(sign(claims({ aud: [clientId, 'another'] })))).toMatch(/audiences/);
    expect(await refusal(sign(claims({ nonce: 'old-nonce' })))).toMatch(/nonce/);
    expect(await refusal(sign(claims({ nonce: undefined })))).toMatch(/nonce/);
    expect(await refusal(sign(claims({ iat: seconds - 4000, exp: seconds - 60 })))).toMatch(/expired/);
    expect(await refusal(sign(claims({ sub: undefined })))).toMatch(/sub/);
  });

  it('pins the algorithm to what the provider advertises: no ES256 when it says RS256, no none, no HMAC with the public key', async () => {
    expect(await refusal(sign(claims(), 'ES256', 'ec-1'), ['RS256'])).toMatch(/algorithm/);
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${Buffer.from(JSON.stringify(claims())).toString('base64url')}.`;
    expect(await refusal(unsigned)).toMatch(/algorithm|signed/);
    // The classic confusion: an HS256 token keyed with the provider's public key.
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', kid: 'rsa-1' })).toString('base64url');
    const body = Buffer.from(JSON.stringify(claims())).toString('base64url');
    const mac = createHmac('sha256', JSON.stringify(publicRsaJwk)).update(`${header}.${body}`).digest('base64url');
    expect(await refusal(`${header}.${body}.${mac}`)).toMatch(/algorithm/);
    // A good signature from a key that is not the provider's.
    const stranger = await generateKeyPair('RS256');
    const forged = await new SignJWT(claims()).setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' }).sign(stranger.privateKey);
    expect(await refusal(forged)).toMatch(/signature/);
    expect(await refusal('not.a.jwt')).toMatch(/JWT|verified/);
  });
});

describe('profileFromClaims', () => {
  it('takes the name, a verified email and an https picture, and leaves out what Parley cannot show', () => {
    expect(profileFromClaims({ name: 'Ada Gazette', email: 'ada@gazette.test', picture: 'https://gazette.test/a.png' })).toEqual({
      name: 'Ada Gazette',
      email: 'ada@gazette.test',
      avatar: 'https://gazette.test/a.png',
    });
    expect(profileFromClaims({ name: '\u200b', preferred_username: 'ada', email: 'ada@gazette.test', email_verified: false, picture: 'http://x.test/a.png' })).toEqual({
      name: 'ada',
      email: null,
      avatar: null,
    });
    expect(profileFromClaims({ given_name: 'Ada', family_name: 'Lovelace' }).name).toBe('Ada Lovelace');
    expect(profileFromClaims({}).name).toBeUndefined();
  });
});
