import { createHmac, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { openTestDatabase, type TestDatabase } from '@parley/db';
import { seedAll, startStack, type Stack } from '../../scripts/stack';
import { staffAccessToken } from '../support/authenticators';

/**
 * Publisher sign-on across the services: auth asks the comments service whether a site exists
 * (`GET /internal/sites/:id`, never proxied by the gateway), and a publisher page's exchange goes
 * through the gateway with the site's CORS and ends in a participant session whose badge the
 * comments service stores with the comment.
 */
let database: TestDatabase;
let stack: Stack;
let dataDir: string;

beforeAll(async () => {
  database = await openTestDatabase();
  dataDir = await mkdtemp(join(tmpdir(), 'parley-sso-'));
  await seedAll(database.source, ['http://localhost:8081']);
  stack = await startStack({ database: database.source, dataDir, ports: { gateway: 0, auth: 0, comments: 0 }, logLevel: 'silent' });
});

afterAll(async () => {
  await stack?.stop();
  await database?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const sign = (secret: string, kid: string, claims: Record<string, unknown>) => {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode({ alg: 'HS256', typ: 'JWT', kid })}.${encode(claims)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
};

it('answers a site on the comments service\'s internal route, and 404 otherwise; the gateway does not proxy it', async () => {
  const found = await request(stack.urls.comments).get('/internal/sites/demo').expect(200);
  expect(found.body).toEqual({ site: { id: 'demo', name: expect.any(String), settings: expect.any(Object), origins: ['http://localhost:8081'] } });
  for (const id of ['nope', 'Not%20A%20Site']) {
    expect((await request(stack.urls.comments).get(`/internal/sites/${id}`)).body.error.code).toBe('site_not_found');
  }
  expect((await request(stack.urls.gateway).get('/internal/sites/demo')).status).toBe(404);
});

it('signs a reader in from the publisher page through the gateway, and their comment carries the badge', async () => {
  const api = request(stack.urls.gateway);
  const admin = await staffAccessToken(stack.urls.gateway, database.source, 'admin@example.com');
  const missing = await api.post('/auth/admin/sites/nope/sso-keys').set('Authorization', `Bearer ${admin}`).send({ kind: 'secret' });
  expect({ status: missing.status, code: missing.body.error.code }).toEqual({ status: 404, code: 'site_not_found' });
  const created = await api.post('/auth/admin/sites/demo/sso-keys').set('Authorization', `Bearer ${admin}`).send({ kind: 'secret', kid: 'e2e' }).expect(201);

  const iat = Math.floor(Date.now() / 1000);
  const token = sign(created.body.secret, 'e2e', { sub: `sub-${randomUUID()}`, name: 'Ada Subscriber', badge: 'Subscriber', iat, exp: iat + 120, jti: randomUUID(), aud: 'demo' });
  const session = await api.post('/auth/sso').set('Origin', 'http://localhost:8081').send({ site: 'demo', token }).expect(200);
  expect(session.headers['access-control-allow-origin']).toBe('http://localhost:8081');
  expect(session.body.user).toMatchObject({ displayName: 'Ada Subscriber', badge: 'Subscriber', provider: 'sso:demo', role: 'reader' });

  const posted = await api
    .post(`/api/sites/demo/articles/sso-${randomUUID().slice(0, 8)}/comments`)
    .set('Origin', 'http://localhost:8081')
    .set('Authorization', `Bearer ${session.body.accessToken}`)
    .send({ body: 'Signed in by my newspaper.' })
    .expect(201);
  expect(posted.body.comment.author).toEqual({ id: session.body.user.id, name: 'Ada Subscriber', badge: 'Subscriber' });

  // The same token again is refused, through the gateway as well.
  const replayed = await api.post('/auth/sso').set('Origin', 'http://localhost:8081').send({ site: 'demo', token });
  expect({ status: replayed.status, code: replayed.body.error.code }).toEqual({ status: 401, code: 'sso_token_replayed' });
});
