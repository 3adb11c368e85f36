import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import request from 'supertest';
import { AuthSession, SsoKeyCreated } from '@parley/contracts';
import { bearer, expectError, registerUser, startTestAuth, type TestAuth } from '../test-support';
import { accountWithRole, newSite, readerClaims, secretKey, signToken, startPublisherJwks, type PublisherJwks } from './sso-test-support';

let t: TestAuth;
let publisher: PublisherJwks;
let admin: { token: string };
beforeAll(async () => {
  t = await startTestAuth({ env: { SSO_RATE_LIMIT_PER_IP: '10000' } });
  publisher = await startPublisherJwks();
  admin = await accountWithRole(t, 'admin');
});
afterAll(async () => {
  await publisher.close();
  await t.close();
});

/** A site with an HS256 secret (kid `k1`) and the publisher's JWKS. */
async function siteWithKeys() {
  const site = newSite(t);
  const created = await request(t.app).post(`/auth/admin/sites/${site}/sso-keys`).set(bearer(admin.token)).send({ kind: 'secret', kid: 'k1' }).expect(201);
  await request(t.app).post(`/auth/admin/sites/${site}/sso-keys`).set(bearer(admin.token)).send({ kind: 'jwks', jwksUrl: publisher.url }).expect(201);
  const secret = SsoKeyCreated.parse(created.body).secret!;
  return { site, secret, sign: (claims: Record<string, unknown>, kid = 'k1') => signToken(claims, secretKey(secret), { alg: 'HS256', kid }) };
}

const exchange = (site: string, token: string, origin = 'https://news.example.com') =>
  request(t.app).post('/auth/sso').set('Origin', origin).set('X-Forwarded-For', '198.51.100.20').send({ site, token });
const usersOf = (site: string) => t.db.selectFrom('users').selectAll().where('identity_issuer', '=', `sso:${site}`).execute();

describe('POST /auth/sso', () => {
  it('creates the reader on first use and answers a participant session that carries idp and badge', async () => {
    const { site, sign } = await siteWithKeys();
    const claims = readerClaims(t, { email: 'ada@news.example.com', avatar: 'https://news.example.com/ada.png', badge: 'Subscriber', aud: site });
    // Even with no Origin (which would let a staff account open a staff session): sign-on is a publisher's page.
    const response = await request(t.app).post('/auth/sso').send({ site, token: await sign(claims) }).expect(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const session = AuthSession.parse(response.body);
    expect(session.user).toEqual({
      id: expect.any(String),
      email: 'ada@news.example.com',
      displayName: 'Ada Subscriber',
      role: 'reader',
      sites: [],
      provider: `sso:${site}`,
      badge: 'Subscriber',
      avatarUrl: 'https://news.example.com/ada.png',
    });
    expect(decodeJwt(session.accessToken)).toMatchObject({ sub: session.user.id, scope: 'participant', idp: `sso:${site}`, badge: 'Subscriber', name: 'Ada Subscriber' });
    expect((await request(t.app).get('/auth/me').set(bearer(session.accessToken)).expect(200)).body.user).toEqual(session.user);

    // A refresh keeps who vouches for the reader.
    const refreshed = AuthSession.parse((await request(t.app).post('/auth/refresh').set('Origin', 'https://news.example.com').send({ refreshToken: session.refreshToken }).expect(200)).body);
    expect(decodeJwt(refreshed.accessToken)).toMatchObject({ idp: `sso:${site}`, badge: 'Subscriber', scope: 'participant' });

    const [row] = await usersOf(site);
    expect(row).toMatchObject({ identity_subject: claims.sub, password_hash: null, email_normalized: null });
  });

  it('finds the same reader again, and updates the profile only from a newer token', async () => {
    const { site, sign } = await siteWithKeys();
    const sub = `reader-${randomUUID()}`;
    const first = readerClaims(t, { sub, badge: 'Subscriber', avatar: 'https://news.example.com/a.png' });
    const id = (await exchange(site, await sign(first)).expect(200)).body.user.id;

    const newer = readerClaims(t, { sub, name: 'Ada L.', iat: (first.iat as number) + 5, exp: (first.iat as number) + 300 });
    const updated = (await exchange(site, await sign(newer)).expect(200)).body.user;
    // Left out: kept.
    expect(updated).toMatchObject({ id, displayName: 'Ada L.', badge: 'Subscriber', avatarUrl: 'https://news.example.com/a.png' });

    const older = readerClaims(t, { sub, name: 'Stale Name', badge: 'Old', iat: (first.iat as number) + 1, exp: (first.iat as number) + 300 });
    expect((await exchange(site, await sign(older)).expect(200)).body.user).toMatchObject({ id, displayName: 'Ada L.', badge: 'Subscriber' });

    // null clears.
    const cleared = readerClaims(t, { sub, name: 'Ada L.', badge: null, avatar: null, iat: (first.iat as number) + 9, exp: (first.iat as number) + 300 });
    const user = (await exchange(site, await sign(cleared)).expect(200)).body.user;
    expect(user).not.toHaveProperty('badge');
    expect(user).not.toHaveProperty('avatarUrl');
    expect(decodeJwt((await exchange(site, await sign({ ...cleared, jti: randomUUID() })).expect(200)).body.accessToken)).not.toHaveProperty('badge');
    expect(await usersOf(site)).toHaveLength(1);
  });

  it('keeps readers of different sites apart, even with the same sub', async () => {
    const a = await siteWithKeys();
    const b = await siteWithKeys();
    const sub = `reader-${randomUUID()}`;
    const idA = (await exchange(a.site, await a.sign(readerClaims(t, { sub }))).expect(200)).body.user.id;
    const idB = (await exchange(b.site, await b.sign(readerClaims(t, { sub }))).expect(200)).body.user.id;
    expect(idA).not.toBe(idB);
  });

  it('never lets a publisher reader log in with a password, nor take over the Parley account with their email', async () => {
    const parley = await registerUser(t.app);
    const { site, sign } = await siteWithKeys();
    const session = (await exchange(site, await sign(readerClaims(t, { email: parley.email }))).expect(200)).body;
    expect(session.user.id).not.toBe(parley.session.user.id);
    expectError(await request(t.app).post('/auth/login').send({ email: parley.email, password: 'anything at all' }), 401, 'invalid_credentials');
    // The Parley account is untouched and still logs in.
    await request(t.app).post('/auth/login').send({ email: parley.email, password: parley.password }).expect(200);
  });

  it('verifies RS256 and ES256 tokens with the publisher JWKS', async () => {
    const { site } = await siteWithKeys();
    for (const alg of ['ES256', 'RS256'] as const) {
      const response = await exchange(site, await publisher.sign(readerClaims(t), alg)).expect(200);
      expect(response.body.user.provider).toBe(`sso:${site}`);
    }
  });

  it('gives a reader whose name passes for staff a neutral, stable name', async () => {
    const { site, sign } = await siteWithKeys();
    const sub = `reader-${randomUUID()}`;
    const first = (await exchange(site, await sign(readerClaims(t, { sub, name: 'Moderator' }))).expect(200)).body.user;
    expect(first.displayName).toMatch(/^Reader \d{4}$/);
    const iat = Math.floor(t.clock().getTime() / 1000) + 1;
    const again = (await exchange(site, await sign(readerClaims(t, { sub, name: 'Parley Team', iat, exp: iat + 60 }))).expect(200)).body.user;
    expect(again.displayName).toBe(first.displayName);
  });

  it('rotates keys without downtime: old and new work side by side, the old one stops once deleted', async () => {
    const { site, sign } = await siteWithKeys();
    const created = await request(t.app).post(`/auth/admin/sites/${site}/sso-keys`).set(bearer(admin.token)).send({ kind: 'secret', kid: 'k2' }).expect(201);
    const next = (claims: Record<string, unknown>) => signToken(claims, secretKey(created.body.secret), { alg: 'HS256', kid: 'k2' });
    await exchange(site, await sign(readerClaims(t))).expect(200);
    await exchange(site, await next(readerClaims(t))).expect(200);
    await request(t.app).delete(`/auth/admin/sites/${site}/sso-keys/k1`).set(bearer(admin.token)).expect(204);
    expectError(await exchange(site, await sign(readerClaims(t))), 401, 'sso_unknown_key');
    await exchange(site, await next(readerClaims(t))).expect(200);
  });

  describe('refusals, each creating nobody', () => {
    let keys: Awaited<ReturnType<typeof siteWithKeys>>;
    beforeAll(async () => {
      keys = await siteWithKeys();
    });
    afterEach(async () => {
      expect(await usersOf(keys.site)).toEqual([]);
    });

    it('a token that is not a JWT', async () => {
      expectError(await exchange(keys.site, 'not-a-token'), 401, 'sso_token_malformed');
      expectError(await exchange(keys.site, 'a.b.c'), 401, 'sso_token_malformed');
    });

    it('a token naming no key, or a key the site does not have', async () => {
      expectError(await exchange(keys.site, await signToken(readerClaims(t), secretKey(keys.secret), { alg: 'HS256' })), 401, 'sso_unknown_key');
      expectError(await exchange(keys.site, await keys.sign(readerClaims(t), 'k9')), 401, 'sso_unknown_key');
      expectError(await exchange(keys.site, await publisher.sign(readerClaims(t), 'ES256', 'es-9')), 401, 'sso_unknown_key');
      // Another site's good token, presented for this one.
      const other = await siteWithKeys();
      expectError(await exchange(keys.site, await signToken(readerClaims(t), secretKey(other.secret), { alg: 'HS256', kid: 'k2' })), 401, 'sso_unknown_key');
      // A site with no keys at all.
      expectError(await exchange(newSite(t), await keys.sign(readerClaims(t))), 401, 'sso_unknown_key');
    });

    it('a bad signature, or an algorithm the key does not take', async () => {
      expectError(await exchange(keys.site, await signToken(readerClaims(t), secretKey('x'.repeat(43)), { alg: 'HS256', kid: 'k1' })), 401, 'sso_bad_signature');
      const token = await keys.sign(readerClaims(t));
      const [header, payload] = token.split('.');
      expectError(await exchange(keys.site, `${header}.${payload}.${'A'.repeat(43)}`), 401, 'sso_bad_signature');
      // An RS256 token naming the HS256 secret's kid, and an unsigned one.
      expectError(await exchange(keys.site, await signToken(readerClaims(t), publisher.keys.RS256, { alg: 'RS256', kid: 'k1' })), 401, 'sso_bad_signature');
      const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid: 'k1' })).toString('base64url')}.${payload}.`;
      expectError(await exchange(keys.site, none), 401, 'sso_bad_signature');
      // An HS512 token on the HS256 secret.
      expectError(await exchange(keys.site, await signToken(readerClaims(t), secretKey(keys.secret), { alg: 'HS512', kid: 'k1' })), 401, 'sso_bad_signature');
    });

    it('an expired token', async () => {
      const iat = Math.floor(t.clock().getTime() / 1000) - 400;
      expectError(await exchange(keys.site, await keys.sign(readerClaims(t, { iat, exp: iat + 300 }))), 401, 'sso_token_expired');
    });

    it('a token for another site', async () => {
      expectError(await exchange(keys.site, await keys.sign(readerClaims(t, { aud: 'another-site' }))), 401, 'sso_wrong_site');
    });

    it.each(['sub', 'name', 'iat', 'exp', 'jti'])('a token without %s', async (claim) => {
      const error = expectError(await exchange(keys.site, await keys.sign(readerClaims(t, { [claim]: undefined }))), 401, 'sso_claims_invalid');
      expect(JSON.stringify(error)).toContain(claim);
    });

    it.each([
      ['a lifetime over 10 minutes', { exp: Math.floor(Date.now() / 1000) + 3600 }],
      ['an avatar that is not https', { avatar: 'http://news.example.com/a.png' }],
      ['a badge that is too long', { badge: 'Subscriber since the year 1999' }],
      ['a name with control characters', { name: 'Ada\u202e' }],
      ['an email that is not one', { email: 'not an email' }],
    ])('a token with %s', async (_case, overrides) => {
      expectError(await exchange(keys.site, await keys.sign(readerClaims(t, overrides))), 401, 'sso_claims_invalid');
    });

    it('a token issued in the future', async () => {
      const iat = Math.floor(t.clock().getTime() / 1000) + 120;
      expectError(await exchange(keys.site, await keys.sign(readerClaims(t, { iat, exp: iat + 60 }))), 401, 'sso_claims_invalid');
    });

    it('bad request bodies', async () => {
      expectError(await request(t.app).post('/auth/sso').send({}), 400, 'validation_failed');
      expectError(await request(t.app).post('/auth/sso').send({ site: 'Not A Site', token: 'x' }), 400, 'validation_failed');
      expectError(await request(t.app).post('/auth/sso').send({ site: keys.site, token: 'x', role: 'admin' }), 400, 'validation_failed');
    });

    it('the publisher keys cannot be fetched: 503, so the page can try again', async () => {
      // A publisher of its own, whose keys this app has never fetched for a sign-in.
      const down = await startPublisherJwks();
      try {
        await request(t.app).post(`/auth/admin/sites/${keys.site}/sso-keys`).set(bearer(admin.token)).send({ kind: 'jwks', jwksUrl: down.url, kid: 'down' }).expect(201);
        down.serve('down', 500);
        const response = await exchange(keys.site, await down.sign(readerClaims(t), 'ES256', 'es-1'));
        expectError(response, 503, 'service_unavailable');
        expect(response.headers['retry-after']).toBeDefined();
      } finally {
        await request(t.app).delete(`/auth/admin/sites/${keys.site}/sso-keys/down`).set(bearer(admin.token)).expect(204);
        await down.close();
      }
    });
  });

  it('refuses a token used twice, even by another client', async () => {
    const { site, sign } = await siteWithKeys();
    const token = await sign(readerClaims(t));
    await exchange(site, token).expect(200);
    expectError(await exchange(site, token, 'https://elsewhere.example.com'), 401, 'sso_token_replayed');
    expect(await usersOf(site)).toHaveLength(1);
  });
});

describe('POST /auth/sso rate limit', () => {
  let limited: TestAuth;
  beforeAll(async () => {
    limited = await startTestAuth({ env: { SSO_RATE_LIMIT_PER_IP: '2' } });
  });
  afterAll(() => limited.close());

  it('answers 429 with Retry-After once an address has tried too often', async () => {
    const from = (ip: string) => request(limited.app).post('/auth/sso').set('X-Forwarded-For', ip).send({ site: 'demo', token: 'x.y.z' });
    expectError(await from('203.0.113.50'), 401, 'sso_token_malformed');
    expectError(await from('203.0.113.50'), 401, 'sso_token_malformed');
    const blocked = expectError(await from('203.0.113.50'), 429, 'rate_limited');
    expect(blocked.details).toEqual({ retryAfterSeconds: expect.any(Number) });
    expectError(await from('198.51.100.51'), 401, 'sso_token_malformed');
  });
});
