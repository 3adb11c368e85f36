import { createHmac, createPrivateKey, createPublicKey, randomUUID, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, type JWTPayload } from 'jose';
import { AppError } from '@parley/platform';
import { accessTokenAlgorithm, generateSigningKeyPem, publicJwk, type PublicJwk } from './keys';
import { createTokenVerifier, type TokenVerifierOptions } from './verifier';

const issuer = 'parley-auth';
const audience = 'parley';

interface SigningKey {
  privateKey: KeyObject;
  jwk: PublicJwk;
}

function signingKey(): SigningKey {
  const privateKey = createPrivateKey(generateSigningKeyPem());
  return { privateKey, jwk: publicJwk(privateKey) };
}

/** A JWKS endpoint on a real socket whose keys, status and request count the tests control. */
interface JwksServer {
  url: string;
  requests: number;
  keys: PublicJwk[];
  status: number;
  close(): Promise<void>;
}

async function startJwksServer(keys: PublicJwk[]): Promise<JwksServer> {
  const state = { requests: 0, keys, status: 200 };
  const server: Server = createServer((_req, res) => {
    state.requests += 1;
    if (state.status !== 200) {
      res.writeHead(state.status).end('down');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: state.keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let closed = false;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/auth/.well-known/jwks.json`,
    close: () => {
      if (closed) return Promise.resolve();
      closed = true;
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // jose's requests ride keep-alive sockets; close() alone would wait for them to idle out.
        server.closeAllConnections();
      });
    },
  });
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

function claims(overrides: JWTPayload = {}): JWTPayload {
  const iat = nowSeconds();
  return { sub: randomUUID(), name: 'Ada', role: 'reader', scope: 'participant', sid: randomUUID(), iss: issuer, aud: audience, jti: randomUUID(), iat, exp: iat + 900, ...overrides };
}

function sign(key: SigningKey, payload: JWTPayload = claims(), kid: string | null = key.jwk.kid): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: accessTokenAlgorithm, typ: 'JWT', ...(kid === null ? {} : { kid }) }).sign(key.privateKey);
}

/** Tokens jose would refuse to sign: HS256 keyed with the public key PEM, and `alg: none`. */
function handMade(header: Record<string, unknown>, payload: JWTPayload, signature: (input: string) => string): string {
  const input = [header, payload].map((part) => Buffer.from(JSON.stringify(part)).toString('base64url')).join('.');
  return `${input}.${signature(input)}`;
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

const current = signingKey();
let jwks: JwksServer;
const opened: JwksServer[] = [];

async function ownServer(keys: PublicJwk[]): Promise<JwksServer> {
  const server = await startJwksServer(keys);
  opened.push(server);
  return server;
}

function verifierFor(server: JwksServer, options: Partial<TokenVerifierOptions> = {}) {
  return createTokenVerifier({ issuer, audience, jwksUrl: server.url, ...options });
}

beforeAll(async () => {
  jwks = await ownServer([current.jwk]);
});
afterAll(async () => {
  await Promise.all(opened.map((server) => server.close()));
});

describe('createTokenVerifier against a JWKS endpoint', () => {
  it('accepts a valid ES256 token and returns its claims', async () => {
    const payload = claims({ name: 'Grace', role: 'moderator' });
    const verified = await verifierFor(jwks).verify(await sign(current, payload));
    expect(verified).toEqual(payload);
  });

  it('refuses HS256 keyed with the public key (algorithm confusion)', async () => {
    const publicPem = createPublicKey(current.privateKey).export({ type: 'spki', format: 'pem' }).toString();
    const token = handMade({ alg: 'HS256', typ: 'JWT', kid: current.jwk.kid }, claims(), (input) =>
      createHmac('sha256', publicPem).update(input).digest('base64url'),
    );
    const error = await refusal(verifierFor(jwks).verify(token));
    expect(error).toMatchObject({ status: 401, code: 'invalid_token', message: 'The access token uses a refused algorithm.' });
  });

  it('refuses an unsigned token (alg "none")', async () => {
    const token = handMade({ alg: 'none', typ: 'JWT', kid: current.jwk.kid }, claims(), () => '');
    const error = await refusal(verifierFor(jwks).verify(token));
    expect(error).toMatchObject({ code: 'invalid_token', message: 'The access token uses a refused algorithm.' });
  });

  it.each([
    ['issuer', { iss: 'someone-else' }],
    ['audience', { aud: 'another-app' }],
  ])('refuses a correctly signed token with the wrong %s', async (_field, overrides) => {
    const error = await refusal(verifierFor(jwks).verify(await sign(current, claims(overrides))));
    expect(error).toMatchObject({ status: 401, code: 'invalid_token' });
  });

  it('refuses a token signed by another key that claims our kid', async () => {
    const error = await refusal(verifierFor(jwks).verify(await sign(signingKey(), claims(), current.jwk.kid)));
    expect(error).toMatchObject({ code: 'invalid_token' });
  });

  it('refuses a token with no kid, and one that is not a JWT', async () => {
    const verifier = verifierFor(jwks);
    expect(await refusal(verifier.verify(await sign(current, claims(), null)))).toMatchObject({
      code: 'invalid_token',
      message: 'The access token names no key.',
    });
    expect(await refusal(verifier.verify('abc.def.ghi'))).toMatchObject({ code: 'invalid_token', message: 'The access token is malformed.' });
  });

  it('refuses a token missing a claim the contract requires', async () => {
    const { name: _name, ...withoutName } = claims();
    const error = await refusal(verifierFor(jwks).verify(await sign(current, withoutName)));
    expect(error).toMatchObject({ code: 'invalid_token', message: 'The access token is missing required claims.' });
  });

  it('answers token_expired once the injected clock passes exp, and honours the configured tolerance', async () => {
    const payload = claims();
    const token = await sign(current, payload);
    const at = (seconds: number) => () => seconds * 1000;
    expect(await verifierFor(jwks, { now: at(payload.exp! - 1) }).verify(token)).toEqual(payload);
    expect(await refusal(verifierFor(jwks, { now: at(payload.exp!) }).verify(token))).toMatchObject({ status: 401, code: 'token_expired' });
    const tolerant = verifierFor(jwks, { now: at(payload.exp! + 4), clockToleranceSeconds: 5 });
    expect(await tolerant.verify(token)).toEqual(payload);
    expect(await refusal(verifierFor(jwks, { now: at(payload.exp! + 5), clockToleranceSeconds: 5 }).verify(token))).toMatchObject({
      code: 'token_expired',
    });
  });

  it('picks up a rotated key after a refetch, and keeps accepting the old key while it is still published', async () => {
    const server = await ownServer([current.jwk]);
    const verifier = verifierFor(server, { refetchCooldownSeconds: 1 });
    const old = await sign(current);
    await verifier.verify(old);
    expect(server.requests).toBe(1);

    const next = signingKey();
    server.keys = [next.jwk, current.jwk];
    const rotated = await sign(next);
    // Within the cool-down after a fetch the new kid is unknown; jose times that on the real clock.
    expect(await refusal(verifier.verify(rotated))).toMatchObject({ code: 'invalid_token' });
    expect(server.requests).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await verifier.verify(rotated)).toMatchObject({ iss: issuer });
    expect(server.requests).toBe(2);
    await verifier.verify(old);
    expect(server.requests).toBe(2);

    // Once the old key is withdrawn and the set refetched, its tokens stop verifying.
    server.keys = [next.jwk];
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await refusal(verifier.verify(await sign(signingKey())));
    expect(server.requests).toBe(3);
    expect(await refusal(verifier.verify(old))).toMatchObject({ code: 'invalid_token' });
  });

  it('refuses unknown kids without fetching the set for each of them', async () => {
    const server = await ownServer([current.jwk]);
    const verifier = verifierFor(server);
    const stranger = signingKey();
    for (let i = 0; i < 5; i += 1) {
      const error = await refusal(verifier.verify(await sign(stranger, claims(), `junk-${i}`)));
      expect(error).toMatchObject({ code: 'invalid_token', message: 'The access token was signed with an unknown key.' });
    }
    expect(server.requests).toBe(1);
    expect(await verifier.verify(await sign(current))).toMatchObject({ iss: issuer });
    expect(server.requests).toBe(1);
  });

  it('answers 503 service_unavailable while the JWKS answers 500 and no key was ever fetched', async () => {
    const server = await ownServer([current.jwk]);
    server.status = 500;
    const error = await refusal(verifierFor(server).verify(await sign(current)));
    expect(error).toMatchObject({ status: 503, code: 'service_unavailable' });
    expect(error.headers).toEqual({ 'Retry-After': expect.any(String) });
  });

  it('answers 503 when the JWKS server is gone and no key was ever fetched', async () => {
    const server = await ownServer([current.jwk]);
    await server.close();
    expect(await refusal(verifierFor(server, { fetchTimeoutMs: 1000 }).verify(await sign(current)))).toMatchObject({
      status: 503,
      code: 'service_unavailable',
    });
  });

  it('keeps verifying with the keys it has when the JWKS goes down, even past the cache age', async () => {
    const server = await ownServer([current.jwk]);
    // A zero cache age makes every verification refetch, so each one below meets the outage.
    const verifier = verifierFor(server, { cacheSeconds: 0, refetchCooldownSeconds: 0 });
    await verifier.verify(await sign(current));

    server.status = 500;
    expect(await verifier.verify(await sign(current))).toMatchObject({ iss: issuer });
    expect(await refusal(verifier.verify(await sign(signingKey())))).toMatchObject({ code: 'invalid_token' });

    await server.close();
    expect(await verifier.verify(await sign(current))).toMatchObject({ iss: issuer });
    expect(server.requests).toBeGreaterThanOrEqual(3);
  });
});

describe('createTokenVerifier with keys given up front', () => {
  it('verifies with the pinned keys and never fetches for them', async () => {
    const server = await ownServer([]);
    const verifier = verifierFor(server, { keys: [current.jwk] });
    expect(await verifier.verify(await sign(current))).toMatchObject({ iss: issuer });
    expect(server.requests).toBe(0);
  });

  it('falls back to the JWKS for a kid the pinned keys do not have', async () => {
    const published = signingKey();
    const server = await ownServer([published.jwk]);
    const verifier = verifierFor(server, { keys: [current.jwk] });
    expect(await verifier.verify(await sign(published))).toMatchObject({ iss: issuer });
    expect(server.requests).toBe(1);
  });

  it('refuses an unknown kid with invalid_token, not 503, when pinned keys exist and the JWKS is down', async () => {
    const server = await ownServer([]);
    server.status = 500;
    const verifier = verifierFor(server, { keys: [current.jwk] });
    expect(await refusal(verifier.verify(await sign(signingKey())))).toMatchObject({
      code: 'invalid_token',
      message: 'The access token was signed with an unknown key.',
    });
    expect(await verifier.verify(await sign(current))).toMatchObject({ iss: issuer });
  });

  it('works with no JWKS at all', async () => {
    const verifier = createTokenVerifier({ issuer, audience, keys: [current.jwk] });
    expect(await verifier.verify(await sign(current))).toMatchObject({ iss: issuer });
    expect(await refusal(verifier.verify(await sign(signingKey())))).toMatchObject({
      code: 'invalid_token',
      message: 'The access token was signed with an unknown key.',
    });
  });
});
