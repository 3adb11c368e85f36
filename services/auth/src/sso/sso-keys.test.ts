import request from 'supertest';
import { SsoKeyCreated, SsoKeysResponse } from '@parley/contracts';
import { bearer, expectError, startTestAuth, type TestAuth } from '../test-support';
import { accountWithRole, newSite, startPublisherJwks, type PublisherJwks } from './sso-test-support';

let t: TestAuth;
let publisher: PublisherJwks;
let admin: { id: string; token: string };
beforeAll(async () => {
  t = await startTestAuth();
  publisher = await startPublisherJwks();
  admin = await accountWithRole(t, 'admin');
});
afterAll(async () => {
  await publisher.close();
  await t.close();
});

const keysPath = (site: string) => `/auth/admin/sites/${site}/sso-keys`;
const create = (site: string, body: unknown, token = admin.token) => request(t.app).post(keysPath(site)).set(bearer(token)).send(body as object);
const keyRows = (site: string) => t.db.selectFrom('sso_keys').selectAll().where('site_id', '=', site).execute();
const auditRows = (site: string) => t.db.selectFrom('audit_log').selectAll().where('site_id', '=', site).orderBy('at').execute();

describe('SSO key administration', () => {
  it('requires authentication, an admin, and a staff session', async () => {
    const site = newSite(t);
    expectError(await request(t.app).post(keysPath(site)).send({ kind: 'secret' }), 401, 'unauthenticated');
    expectError(await request(t.app).get(keysPath(site)), 401, 'unauthenticated');
    expectError(await request(t.app).delete(`${keysPath(site)}/any`), 401, 'unauthenticated');
    for (const role of ['reader', 'moderator'] as const) {
      const caller = await accountWithRole(t, role);
      expectError(await create(site, { kind: 'secret' }, caller.token), 403, 'forbidden');
      expectError(await request(t.app).get(keysPath(site)).set(bearer(caller.token)), 403, 'forbidden');
    }
    // An admin who logged in on a publisher's page holds a reader's session there.
    const widgetAdmin = await accountWithRole(t, 'admin', 'https://news.example.com');
    expectError(await create(site, { kind: 'secret' }, widgetAdmin.token), 403, 'staff_session_required');
    expect(await keyRows(site)).toEqual([]);
  });

  it('creates an HS256 secret, answers it once, and never lists it', async () => {
    const site = newSite(t);
    const response = await create(site, { kind: 'secret', kid: 'newsroom-2026' }).expect(201);
    expect(response.headers['cache-control']).toBe('no-store');
    const created = SsoKeyCreated.parse(response.body);
    expect(created.key).toEqual({ kid: 'newsroom-2026', kind: 'secret', createdAt: expect.any(String) });
    // 32 random bytes, base64url.
    expect(created.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const listed = await request(t.app).get(keysPath(site)).set(bearer(admin.token)).expect(200);
    expect(SsoKeysResponse.parse(listed.body)).toEqual({ keys: [created.key] });
    expect(JSON.stringify(listed.body)).not.toContain(created.secret);

    // Parley picks a kid when none is given; every secret is new.
    const second = SsoKeyCreated.parse((await create(site, { kind: 'secret' }).expect(201)).body);
    expect(second.key.kid).toMatch(/^hs-[A-Za-z0-9_-]{8}$/);
    expect(second.secret).not.toBe(created.secret);
  });

  it('registers a publisher JWKS URL after fetching it', async () => {
    const site = newSite(t);
    const created = SsoKeyCreated.parse((await create(site, { kind: 'jwks', jwksUrl: publisher.url, kid: 'publisher' }).expect(201)).body);
    expect(created).toEqual({ key: { kid: 'publisher', kind: 'jwks', jwksUrl: publisher.url, createdAt: expect.any(String) } });
    expect((await request(t.app).get(keysPath(site)).set(bearer(admin.token)).expect(200)).body.keys).toEqual([created.key]);
  });

  it('logs every change in the audit log, without the secret, and deletes keys', async () => {
    const site = newSite(t);
    const { secret } = SsoKeyCreated.parse((await create(site, { kind: 'secret', kid: 'old' }).expect(201)).body);
    await create(site, { kind: 'secret', kid: 'new' }).expect(201);
    await request(t.app).delete(`${keysPath(site)}/old`).set(bearer(admin.token)).expect(204);
    const listed = await request(t.app).get(keysPath(site)).set(bearer(admin.token)).expect(200);
    expect(listed.body.keys.map((key: { kid: string }) => key.kid)).toEqual(['new']);

    const audit = await auditRows(site);
    expect(audit.map((row) => [row.action, row.target, row.actor_id])).toEqual([
      ['sso_key.created', 'old', admin.id],
      ['sso_key.created', 'new', admin.id],
      ['sso_key.deleted', 'old', admin.id],
    ]);
    expect(JSON.stringify(audit)).not.toContain(secret);
  });

  it('refuses a duplicate kid with 409, changing nothing', async () => {
    const site = newSite(t);
    await create(site, { kind: 'secret', kid: 'dup' }).expect(201);
    const before = await keyRows(site);
    expectError(await create(site, { kind: 'jwks', jwksUrl: publisher.url, kid: 'dup' }), 409, 'sso_key_exists');
    expect(await keyRows(site)).toEqual(before);
    expect(await auditRows(site)).toHaveLength(1);
  });

  it('answers 404 for an unknown site and an unknown kid', async () => {
    expectError(await create('no-such-site', { kind: 'secret' }), 404, 'site_not_found');
    expectError(await request(t.app).get(keysPath('no-such-site')).set(bearer(admin.token)), 404, 'site_not_found');
    expect(await keyRows('no-such-site')).toEqual([]);
    const site = newSite(t);
    expectError(await request(t.app).delete(`${keysPath(site)}/nope`).set(bearer(admin.token)), 404, 'sso_key_not_found');
    expect(await auditRows(site)).toEqual([]);
  });

  it.each([
    ['a plain http URL', { kind: 'jwks', jwksUrl: 'http://keys.example.com/jwks.json' }, 'jwksUrl'],
    ['a garbled URL', { kind: 'jwks', jwksUrl: 'not a url' }, 'jwksUrl'],
    ['a URL with credentials', { kind: 'jwks', jwksUrl: 'https://user:pw@keys.example.com/jwks.json' }, 'jwksUrl'],
    ['a missing URL', { kind: 'jwks' }, 'jwksUrl'],
    ['an unknown kind', { kind: 'password' }, 'kind'],
    ['a kid with spaces', { kind: 'secret', kid: 'my key' }, 'kid'],
    ['a secret chosen by the caller', { kind: 'secret', secret: 'x'.repeat(40) }, 'body'],
  ])('refuses %s with 400 naming the field', async (_case, body, field) => {
    const site = newSite(t);
    const error = expectError(await create(site, body), 400, 'validation_failed');
    expect(error.details?.map((issue) => issue.field)).toEqual([field]);
    expect(await keyRows(site)).toEqual([]);
  });

  it('refuses a JWKS URL that does not serve usable public keys', async () => {
    const site = newSite(t);
    const cases: [unknown, number][] = [
      ['not json', 200],
      [{ keys: [] }, 200],
      [{ keys: [{ kty: 'oct', k: 'c2VjcmV0' }] }, 200],
      [{ nothing: true }, 200],
      [publisher.jwks, 404],
    ];
    try {
      for (const [body, status] of cases) {
        publisher.serve(body, status);
        expectError(await create(site, { kind: 'jwks', jwksUrl: publisher.url }), 400, 'invalid_jwks');
      }
    } finally {
      publisher.serve(publisher.jwks);
    }
    expectError(await create(site, { kind: 'jwks', jwksUrl: 'http://127.0.0.1:1/jwks.json' }), 400, 'invalid_jwks');
    expect(await keyRows(site)).toEqual([]);
  });
});
