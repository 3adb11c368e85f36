import request from 'supertest';
import { AuthSession } from '@parley/contracts';
import { signInAtProvider, startTestProvider, type TestProvider } from '../../../../tests/support/oidc-provider';
import { accountWithRole, newSite } from '../sso/sso-test-support';
import { bearer, expectError, startTestAuth, type TestAuth } from '../test-support';
import { oidcIdentityIssuer } from './oidc.service';

/**
 * OpenID Connect login against a real provider (oidc-provider, started by the test): the admin
 * API, the flow (authorization code + PKCE + state + nonce) and the hand-over to the page.
 */
const publicUrl = 'http://parley.test';
const redirectUri = `${publicUrl}/auth/oidc/callback`;
const pageOrigin = 'https://gazette.test';

let t: TestAuth;
let provider: TestProvider;
let client: { clientId: string; clientSecret: string };
let admin: { id: string; token: string };

beforeAll(async () => {
  [t, provider] = await Promise.all([startTestAuth({ env: { PUBLIC_URL: publicUrl } }), startTestProvider()]);
  client = await provider.register([redirectUri]);
  admin = await accountWithRole(t, 'admin');
});
afterAll(async () => {
  await Promise.all([t?.close(), provider?.stop()]);
});

/** A site of the test's own with an allowed origin and the provider configured. */
async function oidcSite(overrides: Record<string, unknown> = {}): Promise<string> {
  const site = newSite(t);
  t.siteOrigins.set(site, [pageOrigin]);
  await request(t.app)
    .put(`/auth/admin/sites/${site}/oidc`)
    .set(bearer(admin.token))
    .send({ issuer: provider.issuer, clientId: client.clientId, clientSecret: client.clientSecret, label: 'Log in with Gazette ID', ...overrides })
    .expect(200);
  return site;
}

const start = (site: string, query: Record<string, string> = {}) =>
  request(t.app).get(`/auth/oidc/sites/${site}/start`).query({ origin: pageOrigin, return: `${pageOrigin}/story`, ...query });

/** The provider's answer (the redirect URI with code and state) fed to Parley's callback. */
const callback = (answer: URL) => request(t.app).get(`${answer.pathname}${answer.search}`);

function handedOver(html: string): { site: string; origin: string; code?: string; error?: string } {
  const block = /<script type="application\/json" id="parley-oidc">(.*?)<\/script>/s.exec(html);
  if (!block) throw new Error(`no hand-over block in ${html}`);
  return JSON.parse(block[1]!);
}

async function loginAs(site: string, login: string): Promise<AuthSession> {
  const started = await start(site).expect(302);
  const answer = await signInAtProvider(started.headers.location!, login);
  const page = await callback(answer).expect(200);
  const { code } = handedOver(page.text);
  const session = await request(t.app).post('/auth/oidc/exchange').set('Origin', pageOrigin).send({ code }).expect(200);
  return AuthSession.parse(session.body);
}

const oidcAccounts = (site: string) =>
  t.db.selectFrom('users').selectAll().where('identity_issuer', '=', oidcIdentityIssuer(site, provider.issuer)).execute();

describe('site OpenID Connect provider (admin API)', () => {
  it('requires authentication', async () => {
    const site = newSite(t);
    expectError(await request(t.app).put(`/auth/admin/sites/${site}/oidc`).send({}), 401, 'unauthenticated');
    expectError(await request(t.app).get(`/auth/admin/sites/${site}/oidc`), 401, 'unauthenticated');
    expectError(await request(t.app).delete(`/auth/admin/sites/${site}/oidc`), 401, 'unauthenticated');
  });

  it('is refused to readers and moderators, and a refused call changes nothing', async () => {
    const site = newSite(t);
    const body = { issuer: provider.issuer, clientId: client.clientId, clientSecret: client.clientSecret, label: 'Gazette ID' };
    for (const role of ['reader', 'moderator'] as const) {
      const caller = await accountWithRole(t, role);
      expect((await request(t.app).put(`/auth/admin/sites/${site}/oidc`).set(bearer(caller.token)).send(body)).status).toBe(403);
    }
    expectError(await request(t.app).get(`/auth/admin/sites/${site}/oidc`).set(bearer(admin.token)), 404, 'oidc_not_configured');
  });

  it('stores the provider after checking its discovery document, and never answers the client secret', async () => {
    const site = await oidcSite();
    const shown = await request(t.app).get(`/auth/admin/sites/${site}/oidc`).set(bearer(admin.token)).expect(200);
    expect(shown.body.provider).toEqual({
      issuer: provider.issuer,
      clientId: client.clientId,
      scopes: 'openid profile email',
      label: 'Log in with Gazette ID',
      redirectUri,
      algorithms: ['RS256', 'ES256'],
      updatedAt: expect.any(String),
    });
    expect(JSON.stringify(shown.body)).not.toContain(client.clientSecret);
    const audit = await t.db.selectFrom('audit_log').selectAll().where('site_id', '=', site).execute();
    expect(audit.map((entry) => entry.action)).toEqual(['oidc_provider.created']);
    expect(JSON.stringify(audit)).not.toContain(client.clientSecret);
    // The widget's public question.
    expect((await request(t.app).get(`/auth/oidc/sites/${site}`).expect(200)).body).toEqual({ label: 'Log in with Gazette ID' });
  });

  it('refuses a bad issuer URL, an unreachable provider and a provider calling itself otherwise, changing nothing', async () => {
    const site = newSite(t);
    const put = (issuer: string) =>
      request(t.app).put(`/auth/admin/sites/${site}/oidc`).set(bearer(admin.token)).send({ issuer, clientId: 'x', clientSecret: 'y', label: 'Gazette ID' });
    expect(expectError(await put('not a url'), 400, 'validation_failed').details).toEqual([expect.objectContaining({ field: 'issuer' })]);
    expectError(await put('http://id.example.com'), 400, 'validation_failed');
    expectError(await put('http://127.0.0.1:1'), 400, 'oidc_discovery_failed');
    expectError(await put(`${provider.issuer}/`), 400, 'oidc_discovery_failed');
    expectError(await put(`${provider.issuer}/elsewhere`), 400, 'oidc_discovery_failed');
    expectError(await request(t.app).get(`/auth/admin/sites/${site}/oidc`).set(bearer(admin.token)), 404, 'oidc_not_configured');
  });

  it('validates every field, needs the secret the first time, and keeps it when an update leaves it out', async () => {
    const site = newSite(t);
    t.siteOrigins.set(site, [pageOrigin]);
    const put = (body: Record<string, unknown>) => request(t.app).put(`/auth/admin/sites/${site}/oidc`).set(bearer(admin.token)).send(body);
    const fields = expectError(await put({ issuer: provider.issuer, clientId: '', label: '', scopes: 'openid  "x"', extra: 1 }), 400, 'validation_failed').details;
    expect(fields?.map((issue) => issue.field).sort()).toEqual(expect.arrayContaining(['clientId', 'label', 'scopes']));
    expect(expectError(await put({ issuer: provider.issuer, clientId: client.clientId, label: 'Gazette ID' }), 400, 'validation_failed').details).toEqual([
      { field: 'clientSecret', message: 'is required' },
    ]);
    await put({ issuer: provider.issuer, clientId: client.clientId, clientSecret: client.clientSecret, label: 'Gazette ID' }).expect(200);
    const updated = await put({ issuer: provider.issuer, clientId: client.clientId, label: 'Log in with Gazette ID', scopes: 'profile' }).expect(200);
    expect(updated.body.provider).toEqual(expect.objectContaining({ label: 'Log in with Gazette ID', scopes: 'openid profile' }));
    // The kept secret still works at the provider.
    expect((await loginAs(site, 'kept-secret')).user.displayName).toBe('kept-secret');
  });

  it('answers 404 for an unknown site, and removes a provider', async () => {
    expectError(
      await request(t.app)
        .put('/auth/admin/sites/no-such-site/oidc')
        .set(bearer(admin.token))
        .send({ issuer: provider.issuer, clientId: 'x', clientSecret: 'y', label: 'Gazette ID' }),
      404,
      'site_not_found',
    );
    const site = await oidcSite();
    await request(t.app).delete(`/auth/admin/sites/${site}/oidc`).set(bearer(admin.token)).expect(204);
    expectError(await request(t.app).delete(`/auth/admin/sites/${site}/oidc`).set(bearer(admin.token)), 404, 'oidc_not_configured');
    // Every widget asks; a site without a provider is an answer, not an error in the page's console.
    expect((await request(t.app).get(`/auth/oidc/sites/${site}`).expect(200)).body).toEqual({ label: null });
    expect((await start(site)).status).toBe(404);
  });
});

describe('OpenID Connect login', () => {
  it('sends the reader to the provider with PKCE (S256), state and nonce', async () => {
    const site = await oidcSite();
    const started = await start(site).expect(302);
    const location = new URL(started.headers.location!);
    expect(location.origin).toBe(provider.issuer);
    expect(Object.fromEntries(location.searchParams)).toEqual(
      expect.objectContaining({
        response_type: 'code',
        client_id: client.clientId,
        redirect_uri: redirectUri,
        scope: 'openid profile email',
        code_challenge_method: 'S256',
        state: expect.stringMatching(/^[\w-]{43}$/),
        nonce: expect.stringMatching(/^[\w-]{43}$/),
        code_challenge: expect.stringMatching(/^[\w-]{43}$/),
      }),
    );
    expect(started.headers['cross-origin-opener-policy']).toBe('unsafe-none');
    // Only hashes of the state are stored.
    const stored = await t.db.selectFrom('oidc_logins').select('state_hash').where('site_id', '=', site).execute();
    expect(stored.map((row) => row.state_hash)).not.toContain(location.searchParams.get('state'));
  });

  it('creates the reader from the id token, hands the page a single-use code, and updates the reader next time', async () => {
    const site = await oidcSite();
    const started = await start(site).expect(302);
    const answer = await signInAtProvider(started.headers.location!, 'ada');
    expect(`${answer.origin}${answer.pathname}`).toBe(redirectUri);
    const page = await callback(answer).expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.text).toContain('<script src="/auth/oidc/popup.js"></script>');
    const handOver = handedOver(page.text);
    expect(handOver).toEqual({ site, origin: pageOrigin, code: expect.any(String), returnUrl: expect.stringContaining(`${pageOrigin}/story#parley-oidc=`) });

    const exchanged = await request(t.app).post('/auth/oidc/exchange').set('Origin', pageOrigin).send({ code: handOver.code }).expect(200);
    const session = AuthSession.parse(exchanged.body);
    expect(session.user).toEqual(expect.objectContaining({ displayName: 'Ada Gazette', provider: `sso:${site}` }));
    const me = await request(t.app).get('/auth/me').set(bearer(session.accessToken)).expect(200);
    expect(me.body.user.id).toBe(session.user.id);
    const claims = JSON.parse(Buffer.from(session.accessToken.split('.')[1]!, 'base64url').toString());
    // The provider says email_verified, but Parley checked nothing: the site vouches for its reader
    // where it requires confirmed emails (idp), and the address claims no imported authors.
    expect(claims).toEqual(expect.objectContaining({ scope: 'participant', idp: `sso:${site}`, email_verified: false }));
    await t.claims.flush();
    expect(t.sentClaims.filter((claim) => claim.userId === session.user.id)).toEqual([]);
    const [account] = await oidcAccounts(site);
    expect(account).toEqual(
      expect.objectContaining({ identity_subject: 'ada', email: 'ada@gazette.test', email_normalized: null, password_hash: null, avatar_url: 'https://gazette.test/avatars/ada.png' }),
    );

    // The code is spent.
    expectError(await request(t.app).post('/auth/oidc/exchange').set('Origin', pageOrigin).send({ code: handOver.code }), 401, 'oidc_code_invalid');
    // The same reader again: the same account.
    expect((await loginAs(site, 'ada')).user.id).toBe(session.user.id);
    expect(await oidcAccounts(site)).toHaveLength(1);
  });

  it('gives a reader whose name passes for staff a neutral one', async () => {
    const site = await oidcSite();
    expect((await loginAs(site, 'moderator')).user.displayName).toMatch(/^Reader \d{4}$/);
  });

  it('redirect mode goes back to the article with the code in the fragment', async () => {
    const site = await oidcSite();
    const started = await start(site, { mode: 'redirect' }).expect(302);
    const back = await callback(await signInAtProvider(started.headers.location!, 'rita')).expect(303);
    const location = new URL(back.headers.location!);
    expect(`${location.origin}${location.pathname}`).toBe(`${pageOrigin}/story`);
    const code = new URLSearchParams(location.hash.slice(1)).get('parley-oidc')!;
    await request(t.app).post('/auth/oidc/exchange').set('Origin', pageOrigin).send({ code }).expect(200);
  });

  it('refuses to start for an origin the site does not allow, a return page elsewhere, or a site without a provider', async () => {
    const site = await oidcSite();
    // The start is a navigation in the popup: a refusal is a page that names the code.
    const refusedPage = (response: request.Response, status: number, code: string) => {
      expect({ status: response.status, type: response.headers['content-type'], code: response.text.includes(`<code>${code}</code>`) }).toEqual({
        status,
        type: expect.stringMatching(/^text\/html/),
        code: true,
      });
    };
    refusedPage(await start(site, { origin: 'https://evil.test', return: 'https://evil.test/x' }), 403, 'origin_not_allowed');
    refusedPage(await start(site, { return: 'https://evil.test/x' }), 400, 'validation_failed');
    refusedPage(await start(site, { origin: 'not an origin' }), 400, 'validation_failed');
    refusedPage(await request(t.app).get(`/auth/oidc/sites/${site}/start`).query({ origin: pageOrigin, mode: 'redirect' }), 400, 'validation_failed');
    refusedPage(await start(newSite(t)), 404, 'oidc_not_configured');
    expectError(await request(t.app).get(`/auth/oidc/sites/${site}/start`).query({ mode: 'sideways' }), 400, 'validation_failed');
    expect((await t.db.selectFrom('oidc_logins').select('site_id').where('site_id', '=', site).execute()).length).toBe(0);
  });

  it('a reader who cancels at the provider gets a clear page, and nothing is created', async () => {
    const site = await oidcSite();
    const started = await start(site).expect(302);
    const answer = await signInAtProvider(started.headers.location!, 'ada', { deny: true });
    expect(answer.searchParams.get('error')).toBe('access_denied');
    const page = await callback(answer);
    expect(page.status).toBe(401);
    expect(page.text).toContain('cancelled');
    expect(handedOver(page.text)).toEqual(expect.objectContaining({ error: 'oidc_provider_error', origin: pageOrigin }));
    expect(await oidcAccounts(site)).toHaveLength(0);
  });

  it('refuses an unknown state, a replayed callback and a login that took too long', async () => {
    const site = await oidcSite();
    const started = await start(site).expect(302);
    const answer = await signInAtProvider(started.headers.location!, 'bea');
    const forged = new URL(answer);
    forged.searchParams.set('state', 'not-the-state');
    expect((await callback(forged)).status).toBe(400);
    expect((await request(t.app).get('/auth/oidc/callback').query({ code: 'x' })).text).toContain('oidc_state_invalid');

    await callback(answer).expect(200);
    const replayed = await callback(answer);
    expect(replayed.status).toBe(400);
    expect(replayed.text).toContain('oidc_state_invalid');
    expect(await oidcAccounts(site)).toHaveLength(1);

    const slow = await start(site).expect(302);
    const late = await signInAtProvider(slow.headers.location!, 'cid');
    t.clock.advance(601);
    expect((await callback(late)).status).toBe(400);
    expect((await oidcAccounts(site)).map((row) => row.identity_subject)).toEqual(['bea']);
  });

  it('refuses a code from another login (the PKCE verifier does not match), creating nothing', async () => {
    const site = await oidcSite();
    const first = new URL((await start(site).expect(302)).headers.location!);
    const second = new URL((await start(site).expect(302)).headers.location!);
    const answer = await signInAtProvider(first.href, 'dan');
    // The code of the first login arrives with the second's state: the second's verifier is sent.
    answer.searchParams.set('state', second.searchParams.get('state')!);
    const page = await callback(answer);
    expect(page.status).toBe(401);
    expect(handedOver(page.text).error).toBe('oidc_token_exchange_failed');
    expect(await oidcAccounts(site)).toHaveLength(0);
  });

  it('hands the session over once, for two minutes, and only to the page origin the login began on', async () => {
    const site = await oidcSite();
    const codeFor = async () => {
      const started = await start(site).expect(302);
      return handedOver((await callback(await signInAtProvider(started.headers.location!, 'eve')).expect(200)).text).code!;
    };
    const exchange = (code: string, origin?: string) => {
      const call = request(t.app).post('/auth/oidc/exchange');
      if (origin) call.set('Origin', origin);
      return call.send({ code });
    };
    expectError(await exchange(await codeFor(), 'https://evil.test'), 401, 'oidc_code_invalid');
    const late = await codeFor();
    t.clock.advance(121);
    expectError(await exchange(late, pageOrigin), 401, 'oidc_code_invalid');
    expectError(await exchange('made-up', pageOrigin), 401, 'oidc_code_invalid');
    expectError(await request(t.app).post('/auth/oidc/exchange').send({}), 400, 'validation_failed');
  });
});

describe('OpenID Connect rate limits', () => {
  let limited: TestAuth;
  beforeAll(async () => {
    limited = await startTestAuth({ env: { PUBLIC_URL: publicUrl, OIDC_RATE_LIMIT_PER_IP: '2' }, database: t.database });
  });
  afterAll(() => limited?.close());

  it('answers 429 with Retry-After past the limit on start, callback and exchange alike', async () => {
    await request(limited.app).get('/auth/oidc/sites/none/start').query({ origin: pageOrigin });
    await request(limited.app).get('/auth/oidc/callback');
    const refused = await request(limited.app).post('/auth/oidc/exchange').send({ code: 'x' });
    expectError(refused, 429, 'rate_limited');
    expect(refused.headers['retry-after']).toBeDefined();
  });
});
